package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.callcenter.Member;
import io.ominis.core.callcenter.MemberState;
import io.ominis.db.internal.SqlErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads mod_callcenter's {@code members} table: callers in queues. Read-only: only the module, which holds the
 * callers' channels, can add or remove them.
 */
public final class MemberDao {

    // mod_callcenter serves the highest score first, score = (now - joined_epoch) + base_score + skill_score; "now" is
    // the same for every row, so ordering by the rest gives its order without a clock.
    private static final String LIST = """
            SELECT * FROM members
            WHERE (CAST(:queue AS varchar) IS NULL OR queue = :queue)
              AND (CAST(:state AS varchar) IS NULL OR state = :state)
            ORDER BY CAST(base_score AS bigint) + skill_score - joined_epoch DESC, uuid
            LIMIT :limit""";

    private static final String FILTER = """
            WHERE (CAST(:queue AS varchar) IS NULL OR queue = :queue)
              AND (CAST(:state AS varchar) IS NULL OR state = :state)
            """;

    // keyset on the serving order: the score mod_callcenter ranks callers by (fixed once a caller joins), then uuid
    private static final String PAGE = "SELECT * FROM members " + FILTER + """
              AND (:first OR CAST(base_score AS bigint) + skill_score - joined_epoch < :kScore
                   OR (CAST(base_score AS bigint) + skill_score - joined_epoch = :kScore AND uuid > :kUuid))
            ORDER BY CAST(base_score AS bigint) + skill_score - joined_epoch DESC, uuid
            LIMIT :limit""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM members " + FILTER;

    private static final String FIND = """
            SELECT * FROM members
            WHERE uuid = :uuid""";

    // The same count mod_callcenter publishes as the queue's waiting count (state exactly 'Waiting').
    private static final String COUNT_WAITING = """
            SELECT count(*) FROM members
            WHERE queue = :queue AND state = :waiting""";

    private static final String WAITING_BY_QUEUE = """
            SELECT queue, count(*) AS waiting FROM members
            WHERE state = :waiting
            GROUP BY queue
            ORDER BY queue""";

    private static final RecordRows<Member> ROWS = RecordRows.of(Member.class);

    private final Jdbi jdbi;

    MemberDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Callers in {@code queue} in {@code state} (null: any), in the order mod_callcenter serves them. */
    public List<Member> list(String queue, MemberState state) {
        return list(queue, state, null);
    }

    /** The first {@code limit} (1 to 1000) callers in {@code queue} in {@code state} (null: any). */
    public List<Member> list(String queue, MemberState state, int limit) {
        return list(queue, state, Integer.valueOf(Limits.check(limit)));
    }

    /**
     * One page of the callers in {@code queue} in {@code state} (null: any) in serving order: those after the
     * caller whose key is {@code after} (a previous page's {@link Page#next()}; null for the first page).
     *
     * @param limit 1 to 1000
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not a member key
     */
    public Page<Member, List<String>> page(String queue, MemberState state, List<String> after, int limit) {
        Limits.check(limit);
        List<String> key = Rows.key(after, 2);
        List<Member> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(PAGE), queue, state)
                .bind("first", key.isEmpty())
                .bind("kScore", Rows.keyNumber(key, 0))
                .bind("kUuid", Rows.keyText(key, 1))
                .bind("limit", limit + 1)
                .map(ROWS)
                .list()));
        return Rows.page(rows, limit, m -> List.of(
                String.valueOf((long) m.baseScore() + m.skillScore() - m.joinedEpoch()), m.uuid()));
    }

    /** How many callers are in {@code queue} in {@code state} (null: any). */
    public long count(String queue, MemberState state) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(COUNT_MATCHING), queue, state)
                .mapTo(Long.class)
                .one()));
    }

    private static org.jdbi.v3.core.statement.Query filtered(org.jdbi.v3.core.statement.Query statement,
            String queue, MemberState state) {
        return statement
                .bind("queue", queue)
                .bind("state", state == null ? null : state.wire());
    }

    // LIMIT NULL is PostgreSQL's LIMIT ALL
    private List<Member> list(String queue, MemberState state, Integer limit) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("queue", queue)
                .bind("state", state == null ? null : state.wire())
                .bind("limit", limit)
                .map(ROWS)
                .list()));
    }

    /** The member with this member uuid (not the caller's channel uuid), if any. */
    public Optional<Member> find(String uuid) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(FIND)
                .bind("uuid", uuid)
                .map(ROWS)
                .findFirst()));
    }

    /** How many callers wait in {@code queue}. */
    public long countWaiting(String queue) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT_WAITING)
                .bind("queue", queue)
                .bind("waiting", MemberState.WAITING.wire())
                .mapTo(Long.class)
                .one()));
    }

    /** How many callers wait in each queue that has any, by queue name. */
    public Map<String, Long> waitingByQueue() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            h.createQuery(WAITING_BY_QUEUE)
                    .bind("waiting", MemberState.WAITING.wire())
                    .map((rs, ctx) -> Map.entry(rs.getString("queue"), rs.getLong("waiting")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        }));
    }
}

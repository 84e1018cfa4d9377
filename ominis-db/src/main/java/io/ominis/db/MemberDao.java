package io.ominis.db;

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

package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import io.ominis.db.internal.SqlErrors;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads mod_callcenter's {@code tiers} table: which agent serves which queue at which level and position. Read-only:
 * tier changes go to FreeSWITCH ({@code callcenter_config tier …}).
 */
public final class TierDao {

    private static final String LIST = """
            SELECT * FROM tiers
            WHERE (CAST(:queue AS varchar) IS NULL OR queue = :queue)
              AND (CAST(:agent AS varchar) IS NULL OR agent = :agent)
              AND (CAST(:state AS varchar) IS NULL OR lower(state) = lower(:state))
            ORDER BY queue, level, position, agent
            LIMIT :limit""";

    private static final String FILTER = """
            WHERE (CAST(:queue AS varchar) IS NULL OR queue = :queue)
              AND (CAST(:agent AS varchar) IS NULL OR agent = :agent)
              AND (CAST(:state AS varchar) IS NULL OR lower(state) = lower(:state))
            """;

    // keyset on the listing's order, which ends in (queue, agent), the pair mod_callcenter finds a tier by
    private static final String PAGE = "SELECT * FROM tiers " + FILTER + """
              AND (:first OR (COALESCE(queue, ''), level, position, COALESCE(agent, ''))
                             > (:kQueue, :kLevel, :kPosition, :kAgent))
            ORDER BY COALESCE(queue, ''), level, position, COALESCE(agent, '')
            LIMIT :limit""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM tiers " + FILTER;

    // Queues exist only in callcenter.conf and FreeSWITCH's memory; the database knows those that have tiers or
    // callers, which is what the configuration renderer must not lose.
    private static final String QUEUE_NAMES = """
            SELECT queue FROM tiers WHERE queue <> ''
            UNION
            SELECT queue FROM members WHERE queue <> ''
            ORDER BY queue""";

    private static final RecordRows<Tier> ROWS = RecordRows.of(Tier.class);

    private final Jdbi jdbi;

    TierDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The tiers of one queue, in the order mod_callcenter tries them: level, then position. */
    public List<Tier> byQueue(String queue) {
        return list(queue, null, null, null);
    }

    /** The tiers of one agent, by queue. */
    public List<Tier> byAgent(String agent) {
        return list(null, agent, null, null);
    }

    /** The tiers in one state (compared case-insensitively, as FreeSWITCH does), by queue. */
    public List<Tier> byState(TierState state) {
        return list(null, null, state, null);
    }

    /** The tier linking {@code agent} to {@code queue}, if any. */
    public Optional<Tier> find(String queue, String agent) {
        return list(queue, agent, null, null).stream().findFirst();
    }

    /** Distinct queue names found in {@code tiers} and {@code members}, sorted. */
    public List<String> queueNames() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(QUEUE_NAMES)
                .mapTo(String.class)
                .list()));
    }

    /**
     * At most {@code limit} (1 to 1000) tiers of this queue, agent and state (null: any), by queue, then
     * in the order mod_callcenter tries them.
     */
    public List<Tier> list(String queue, String agent, TierState state, int limit) {
        return list(queue, agent, state, Integer.valueOf(Limits.check(limit)));
    }

    /**
     * One page of the tiers of this queue, agent and state (null: any) in the order of {@link #list}: those after
     * the tier whose key is {@code after} (a previous page's {@link Page#next()}; null for the first page). A tier
     * whose level or position is changed between pages may be seen twice or not at all; tiers added or removed
     * disturb no other row.
     *
     * @param limit 1 to 1000
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not a tier key
     */
    public Page<Tier, List<String>> page(String queue, String agent, TierState state, List<String> after, int limit) {
        Limits.check(limit);
        List<String> key = Rows.key(after, 4);
        List<Tier> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(PAGE), queue, agent, state)
                .bind("first", key.isEmpty())
                .bind("kQueue", Rows.keyText(key, 0))
                .bind("kLevel", Rows.keyNumber(key, 1))
                .bind("kPosition", Rows.keyNumber(key, 2))
                .bind("kAgent", Rows.keyText(key, 3))
                .bind("limit", limit + 1)
                .map(ROWS)
                .list()));
        return Rows.page(rows, limit, t -> List.of(t.queue() == null ? "" : t.queue(), String.valueOf(t.level()),
                String.valueOf(t.position()), t.agent() == null ? "" : t.agent()));
    }

    /** How many tiers have this queue, agent and state (null: any). */
    public long count(String queue, String agent, TierState state) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(COUNT_MATCHING), queue, agent, state)
                .mapTo(Long.class)
                .one()));
    }

    private static org.jdbi.v3.core.statement.Query filtered(org.jdbi.v3.core.statement.Query statement,
            String queue, String agent, TierState state) {
        return statement
                .bind("queue", queue)
                .bind("agent", agent)
                .bind("state", state == null ? null : state.wire());
    }

    // LIMIT NULL is PostgreSQL's LIMIT ALL
    private List<Tier> list(String queue, String agent, TierState state, Integer limit) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("queue", queue)
                .bind("agent", agent)
                .bind("state", state == null ? null : state.wire())
                .bind("limit", limit)
                .map(ROWS)
                .list()));
    }
}

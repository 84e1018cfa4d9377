package io.ominis.db;

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

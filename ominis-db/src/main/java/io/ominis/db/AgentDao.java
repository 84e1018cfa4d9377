package io.ominis.db;

import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.db.internal.SqlErrors;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads mod_callcenter's {@code agents} table. Read-only: agent changes go to FreeSWITCH ({@code callcenter_config
 * agent …} over XML-RPC), which keeps its in-memory state and this table in step; writing here behind its back would
 * not.
 */
public final class AgentDao {

    // `agent set status` stores the value as typed ('on break'), and FreeSWITCH parses it case-insensitively, as the
    // mapper does; filters compare the same way so that a row reads and filters as the same status.
    private static final String LIST = """
            SELECT * FROM agents
            WHERE (CAST(:status AS varchar) IS NULL OR lower(status) = lower(:status))
              AND (CAST(:state AS varchar) IS NULL OR lower(state) = lower(:state))
            ORDER BY name
            LIMIT :limit""";

    private static final String FIND = """
            SELECT * FROM agents
            WHERE name = :name""";

    private static final RecordRows<Agent> ROWS = RecordRows.of(Agent.class);

    private final Jdbi jdbi;

    AgentDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every agent, by name. */
    public List<Agent> list() {
        return list(null, null);
    }

    /** Agents with this status and state (null: any), by name. */
    public List<Agent> list(AgentStatus status, AgentState state) {
        return list(status, state, null);
    }

    /** At most {@code limit} (1 to 1000) agents with this status and state (null: any), by name. */
    public List<Agent> list(AgentStatus status, AgentState state, int limit) {
        return list(status, state, Integer.valueOf(Limits.check(limit)));
    }

    // LIMIT NULL is PostgreSQL's LIMIT ALL
    private List<Agent> list(AgentStatus status, AgentState state, Integer limit) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("status", status == null ? null : status.wire())
                .bind("state", state == null ? null : state.wire())
                .bind("limit", limit)
                .map(ROWS)
                .list()));
    }

    /** The agent with this name (e.g. {@code 1000@default}), if any. */
    public Optional<Agent> find(String name) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(FIND)
                .bind("name", name)
                .map(ROWS)
                .findFirst()));
    }
}

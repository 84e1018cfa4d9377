package io.ominis.db;

import io.ominis.core.Page;
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

    private static final String FILTER = """
            WHERE (CAST(:status AS varchar) IS NULL OR lower(status) = lower(:status))
              AND (CAST(:state AS varchar) IS NULL OR lower(state) = lower(:state))
            """;

    // keyset on the name mod_callcenter finds an agent by; a NULL name is folded into '' (see ChannelDao)
    private static final String PAGE = "SELECT * FROM agents " + FILTER + """
              AND (:first OR COALESCE(name, '') > :after)
            ORDER BY COALESCE(name, '')
            LIMIT :limit""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM agents " + FILTER;

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

    /**
     * One page of the agents with this status and state (null: any), by name: those after the name {@code after}
     * holds (a previous page's {@link Page#next()}; null for the first page).
     *
     * @param limit 1 to 1000
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not an agent key
     */
    public Page<Agent, List<String>> page(AgentStatus status, AgentState state, List<String> after, int limit) {
        Limits.check(limit);
        List<String> key = Rows.key(after, 1);
        List<Agent> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(PAGE), status, state)
                .bind("first", key.isEmpty())
                .bind("after", Rows.keyText(key, 0))
                .bind("limit", limit + 1)
                .map(ROWS)
                .list()));
        return Rows.page(rows, limit, a -> List.of(a.name() == null ? "" : a.name()));
    }

    /** How many agents have this status and state (null: any). */
    public long count(AgentStatus status, AgentState state) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(COUNT_MATCHING), status, state)
                .mapTo(Long.class)
                .one()));
    }

    private static org.jdbi.v3.core.statement.Query filtered(org.jdbi.v3.core.statement.Query statement,
            AgentStatus status, AgentState state) {
        return statement
                .bind("status", status == null ? null : status.wire())
                .bind("state", state == null ? null : state.wire());
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

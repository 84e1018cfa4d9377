package io.ominis.xmlrpc;

import static io.ominis.xmlrpc.internal.Arguments.nonNegative;
import static io.ominis.xmlrpc.internal.Arguments.quotable;
import static io.ominis.xmlrpc.internal.Arguments.word;
import static io.ominis.xmlrpc.internal.PipeTable.number;

import io.ominis.core.WireValue;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.AgentType;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import io.ominis.xmlrpc.internal.PipeTable;
import io.ominis.xmlrpc.internal.Replies;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * mod_callcenter's {@code callcenter_config} API on one node. Names are single words; values that may hold spaces
 * (statuses, states, contacts) are sent single-quoted; anything that could split into extra arguments is refused
 * with an {@link io.ominis.core.InvalidValueException} before a request is made. In-band errors such as
 * {@code -ERR Agent not found!} arrive as {@link FreeSwitchErrorException}.
 */
public final class CallCenterCommands {

    private static final String COMMAND = "callcenter_config";

    private final FreeSwitchApi api;

    public CallCenterCommands(FreeSwitchApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    // ---- agents -----------------------------------------------------------------------------------------------

    /** {@code agent add <name> <type>}: the agent starts {@code Logged Out} / {@code Waiting}. */
    public void agentAdd(String name, AgentType type) {
        ok("agent add " + word("agent", name) + " " + Objects.requireNonNull(type, "type").wire());
    }

    /**
     * Adds agent {@code name} and applies {@code settings} to it (each an {@code agent set …}), or leaves no agent
     * behind: when a setting fails, the agent is deleted again and the failure rethrown. mod_callcenter has no
     * transaction; this is the nearest to one.
     */
    public void agentCreate(String name, AgentType type, List<? extends java.util.function.Consumer<CallCenterCommands>> settings) {
        agentAdd(name, type);
        try {
            settings.forEach(s -> s.accept(this));
        } catch (RuntimeException e) {
            try {
                agentDel(name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** {@code agent del <name>}: removes the agent and its tiers. */
    public void agentDel(String name) {
        ok("agent del " + word("agent", name));
    }

    /** {@code agent reload <name>}: re-reads the agent from callcenter.conf. */
    public void agentReload(String name) {
        ok("agent reload " + word("agent", name));
    }

    /** {@code agent set status}; e.g. sends {@code agent set status 1000@default 'On Break'}. */
    public void agentSetStatus(String name, AgentStatus status) {
        agentSet("status", name, wire("status", status));
    }

    /** {@code agent set state}. */
    public void agentSetState(String name, AgentState state) {
        agentSet("state", name, wire("state", state));
    }

    /** {@code agent set state_if_waiting}: changes the state only of a waiting, available agent. */
    public void agentSetStateIfWaiting(String name, AgentState state) {
        agentSet("state_if_waiting", name, wire("state", state));
    }

    /** {@code agent set type}. */
    public void agentSetType(String name, AgentType type) {
        agentSet("type", name, wire("type", type));
    }

    /** {@code agent set contact}, e.g. {@code user/1000@default} or {@code [call_timeout=20]user/1000}; no quotes. */
    public void agentSetContact(String name, String contact) {
        agentSet("contact", name, quotable("contact", contact));
    }

    /** {@code agent set uuid}: the standing channel of a {@code uuid-standby} agent; {@code ""} clears it. */
    public void agentSetUuid(String name, String uuid) {
        agentSet("uuid", name, uuid.isEmpty() ? quotable("uuid", uuid) : word("uuid", uuid));
    }

    /** {@code agent set <numeric key> <name> <value>}. */
    public void agentSet(String name, AgentNumericKey key, int value) {
        agentSet(Objects.requireNonNull(key, "key").wire(), name, nonNegative(key.wire(), value));
    }

    /** {@code agent get status <name>}; a status this enum does not know reads as {@code UNKNOWN}. */
    public AgentStatus agentGetStatus(String name) {
        return WireValue.parseOr(AgentStatus.class, agentGet("status", name).strip(), AgentStatus.UNKNOWN);
    }

    /** {@code agent get state <name>}; a state this enum does not know reads as {@code UNKNOWN}. */
    public AgentState agentGetState(String name) {
        return WireValue.parseOr(AgentState.class, agentGet("state", name).strip(), AgentState.UNKNOWN);
    }

    /** {@code agent get uuid <name>}: the agent's current channel, {@code ""} when it has none. */
    public String agentGetUuid(String name) {
        return agentGet("uuid", name).strip();
    }

    /** {@code agent list}: every agent in the database. */
    public List<Agent> agentList() {
        return list("agent list", CallCenterCommands::agent);
    }

    /** {@code agent list <name>}: one agent, or empty when it does not exist. */
    public Optional<Agent> agent(String name) {
        return list("agent list " + word("agent", name), CallCenterCommands::agent).stream().findFirst();
    }

    // ---- tiers ------------------------------------------------------------------------------------------------

    /** {@code tier add <queue> <agent> <level> <position>}; the queue must be loaded and the agent must exist. */
    public void tierAdd(String queue, String agent, int level, int position) {
        ok("tier add " + word("queue", queue) + " " + word("agent", agent) + " " + nonNegative("level", level) + " "
                + nonNegative("position", position));
    }

    /** {@code tier del <queue> <agent>}. */
    public void tierDel(String queue, String agent) {
        ok("tier del " + word("queue", queue) + " " + word("agent", agent));
    }

    /** {@code tier set state <queue> <agent> <state>}. */
    public void tierSetState(String queue, String agent, TierState state) {
        tierSet("state", queue, agent, wire("state", state));
    }

    /** {@code tier set level <queue> <agent> <level>}. */
    public void tierSetLevel(String queue, String agent, int level) {
        tierSet("level", queue, agent, nonNegative("level", level));
    }

    /** {@code tier set position <queue> <agent> <position>}. */
    public void tierSetPosition(String queue, String agent, int position) {
        tierSet("position", queue, agent, nonNegative("position", position));
    }

    /** {@code tier reload <queue>}: re-reads that queue's tiers from callcenter.conf; {@code all} for every queue. */
    public void tierReload(String queue) {
        ok("tier reload " + word("queue", queue));
    }

    /** {@code tier list}: every tier in the database. */
    public List<Tier> tierList() {
        return list("tier list", CallCenterCommands::tier);
    }

    // ---- queues -----------------------------------------------------------------------------------------------

    /** {@code queue load <queue>}: loads a queue defined in callcenter.conf. */
    public void queueLoad(String queue) {
        ok("queue load " + word("queue", queue));
    }

    /** {@code queue unload <queue>}. */
    public void queueUnload(String queue) {
        ok("queue unload " + word("queue", queue));
    }

    /** {@code queue reload <queue>}: re-reads a queue's settings from callcenter.conf. */
    public void queueReload(String queue) {
        ok("queue reload " + word("queue", queue));
    }

    /** {@code queue list}: the loaded queues and their settings, keyed by mod_callcenter's column names. */
    public List<Map<String, String>> queueList() {
        return list("queue list", row -> row);
    }

    /** {@code queue list agents <queue>}: the agents with a tier in the queue. */
    public List<Agent> queueListAgents(String queue) {
        return list("queue list agents " + word("queue", queue), CallCenterCommands::agent);
    }

    /** {@code queue list members <queue>}: the queue's callers, with mod_callcenter's extra {@code score} column. */
    public List<Map<String, String>> queueListMembers(String queue) {
        return list("queue list members " + word("queue", queue), row -> row);
    }

    /** {@code queue list tiers <queue>}. */
    public List<Tier> queueListTiers(String queue) {
        return list("queue list tiers " + word("queue", queue), CallCenterCommands::tier);
    }

    /** {@code queue count}: how many queues are loaded. */
    public int queueCount() {
        return count("queue count");
    }

    /** {@code queue count agents <queue>}. */
    public int queueCountAgents(String queue) {
        return count("queue count agents " + word("queue", queue));
    }

    /** {@code queue count agents <queue> <status>}, e.g. how many are {@code Available}. */
    public int queueCountAgents(String queue, AgentStatus status) {
        return count("queue count agents " + word("queue", queue) + " " + wire("status", status));
    }

    /** {@code queue count members <queue>}. */
    public int queueCountMembers(String queue) {
        return count("queue count members " + word("queue", queue));
    }

    /** {@code queue count tiers <queue>}. */
    public int queueCountTiers(String queue) {
        return count("queue count tiers " + word("queue", queue));
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void agentSet(String key, String name, String value) {
        ok("agent set " + key + " " + word("agent", name) + " " + value);
    }

    private String agentGet(String key, String name) {
        return api.api(COMMAND, "agent get " + key + " " + word("agent", name));
    }

    private void tierSet(String key, String queue, String agent, String value) {
        ok("tier set " + key + " " + word("queue", queue) + " " + word("agent", agent) + " " + value);
    }

    private void ok(String argument) {
        Replies.requireOk(COMMAND, api.api(COMMAND, argument), "");
    }

    private int count(String argument) {
        return Replies.integer(COMMAND, api.api(COMMAND, argument));
    }

    private <T> List<T> list(String argument, Function<Map<String, String>, T> mapper) {
        String reply = api.api(COMMAND, argument);
        return Replies.parse(COMMAND, reply, text -> PipeTable.rows(text).stream().map(mapper).toList());
    }

    private static String wire(String field, WireValue value) {
        return quotable(field, Objects.requireNonNull(value, field).wire());
    }

    private static Agent agent(Map<String, String> row) {
        return new Agent(row.get("name"), row.get("instance_id"), row.get("uuid"), row.get("type"), row.get("contact"),
                WireValue.parseOr(AgentStatus.class, row.get("status"), AgentStatus.UNKNOWN),
                WireValue.parseOr(AgentState.class, row.get("state"), AgentState.UNKNOWN),
                number(row, "max_no_answer"), number(row, "wrap_up_time"), number(row, "reject_delay_time"),
                number(row, "busy_delay_time"), number(row, "no_answer_delay_time"), number(row, "last_bridge_start"),
                number(row, "last_bridge_end"), number(row, "last_offered_call"), number(row, "last_status_change"),
                number(row, "no_answer_count"), number(row, "calls_answered"), number(row, "talk_time"),
                number(row, "ready_time"), number(row, "external_calls_count"));
    }

    private static Tier tier(Map<String, String> row) {
        return new Tier(row.get("queue"), row.get("agent"),
                WireValue.parseOr(TierState.class, row.get("state"), TierState.UNKNOWN),
                number(row, "level"), number(row, "position"));
    }
}

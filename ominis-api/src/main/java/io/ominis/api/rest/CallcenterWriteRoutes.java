package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.javalin.http.Context;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.AgentType;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.db.AgentDao;
import io.ominis.db.QueueDao;
import io.ominis.db.TierDao;
import io.ominis.xmlrpc.AgentNumericKey;
import io.ominis.xmlrpc.CallCenterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Agent and tier changes. mod_callcenter keeps agents and tiers in memory as well as in the database, so writes go to
 * FreeSWITCH as {@code callcenter_config} commands (never straight to the tables); the answer is the row as
 * mod_callcenter then wrote it. FreeSWITCH's refusals ({@code -ERR Agent not found!}) come back as 4xx problems
 * carrying its text. Every value is checked before the first command is sent, so a bad request changes nothing.
 */
public final class CallcenterWriteRoutes {

    /** Agent names as mod_callcenter users write them: {@code 1000@default}, {@code agent-10720}. */
    public static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}");

    /**
     * An agent as clients create or change it; absent fields are left alone.
     *
     * @param type {@code Callback} or {@code uuid-standby}
     */
    @NullMarked
    public record AgentInput(
            String name,
            @OneOf(AgentType.class) @Nullable String type,
            @Nullable String contact,
            @OneOf(AgentStatus.class) @Nullable String status,
            @OneOf(AgentState.class) @Nullable String state,
            @Nullable Integer maxNoAnswer,
            @Nullable Integer wrapUpTime,
            @Nullable Integer rejectDelayTime,
            @Nullable Integer busyDelayTime,
            @Nullable Integer noAnswerDelayTime,
            @Nullable Integer readyTime) {
    }

    /** A tier as clients create or change it. */
    private static final String ACCEPTED = "FreeSWITCH accepted the command, but the row it writes did not show in "
            + "this database within 2 s (a node with a call-center database of its own)";

    /**
     * The answer to a write FreeSWITCH accepted but whose row did not show in time.
     *
     * @param status   always {@code accepted}
     * @param resource the agent or tier written
     */
    @NullMarked
    public record Accepted(String status, String resource, String detail) {
    }

    @NullMarked
    public record TierInput(String queue, String agent, @OneOf(TierState.class) @Nullable String state,
            @Nullable Integer level, @Nullable Integer position) {
    }

    /** How long a write waits for mod_callcenter's row to become visible before answering 202. */
    public static final java.time.Duration VISIBLE_WITHIN = java.time.Duration.ofSeconds(2);

    private final SwitchControl control;
    private final AgentDao agents;
    private final TierDao tiers;
    private final QueueDao queues;
    private final JsonBodies bodies;

    /** @param queues the queue definitions, which name the node that runs each queue's tier commands */
    public CallcenterWriteRoutes(SwitchControl control, AgentDao agents, TierDao tiers, QueueDao queues,
            JsonBodies bodies) {
        this.control = control;
        this.agents = agents;
        this.tiers = tiers;
        this.queues = queues;
        this.bodies = bodies;
    }

    public void register(ApiRouter router) {
        String tag = "callcenter";
        router.add(Operation.json(POST, "/v1/callcenter/agents", tag,
                        "Add an agent through callcenter_config (then set the given fields)", Agent.class)
                .withRequest(AgentInput.class).status(201).answers(202, Accepted.class, ACCEPTED)
                .errors(404, 409, 502, 503), this::addAgent);
        router.add(Operation.json(PATCH, "/v1/callcenter/agents/{name}", tag,
                        "Change an agent's status, state, contact, type or timers through callcenter_config", Agent.class)
                .withRequest(AgentInput.class).answers(202, Accepted.class, ACCEPTED).errors(404, 502, 503),
                this::changeAgent);
        router.add(Operation.json(DELETE, "/v1/callcenter/agents/{name}", tag,
                        "Delete an agent (and its tiers) through callcenter_config", null)
                .status(204).errors(502, 503), this::deleteAgent);
        router.add(Operation.json(POST, "/v1/callcenter/tiers", tag,
                        "Add an agent to a queue (tier add) on the node that runs the queue", Tier.class)
                .withRequest(TierInput.class).status(201).answers(202, Accepted.class, ACCEPTED)
                .errors(404, 409, 502, 503), this::addTier);
        router.add(Operation.json(PATCH, "/v1/callcenter/tiers/{queue}/{agent}", tag,
                        "Change a tier's state, level or position", Tier.class)
                .withRequest(TierInput.class).answers(202, Accepted.class, ACCEPTED).errors(404, 502, 503),
                this::changeTier);
        router.add(Operation.json(DELETE, "/v1/callcenter/tiers/{queue}/{agent}", tag, "Remove an agent from a queue",
                        null)
                .status(204).errors(502, 503), this::deleteTier);
    }

    private void addAgent(Context ctx) {
        AgentInput in = bodies.read(ctx, AgentInput.class);
        String name = agentName("name", in.name());
        String typeText = in.type() == null ? AgentType.CALLBACK.wire() : in.type();
        AgentType type = WireValue.parse(AgentType.class, typeText, "type");
        List<Consumer<CallCenterCommands>> settings = changes(name, in);
        control.callCenter(null).agentCreate(name, type, settings);
        ctx.status(201);
        answer(ctx, () -> agents.find(name), "agent " + name);
    }

    private void changeAgent(Context ctx) {
        String name = agentName("name", ctx.pathParam("name"));
        AgentInput in = bodies.read(ctx, AgentInput.class);
        if (in.name() != null && !in.name().equals(name)) {
            throw new InvalidValueException("name", "must match the name in the path");
        }
        if (in.type() != null) {
            WireValue.parse(AgentType.class, in.type(), "type");
        }
        List<Consumer<CallCenterCommands>> settings = changes(name, in);
        if (in.type() != null) {
            AgentType type = WireValue.parse(AgentType.class, in.type(), "type");
            settings.add(0, cc -> cc.agentSetType(name, type));
        }
        if (settings.isEmpty()) {
            throw new InvalidValueException("body", "name at least one field to change");
        }
        CallCenterCommands cc = control.callCenter(null);
        settings.forEach(s -> s.accept(cc));
        answer(ctx, () -> agents.find(name), "agent " + name);
    }

    private void deleteAgent(Context ctx) {
        String name = agentName("name", ctx.pathParam("name"));
        control.callCenter(null).agentDel(name);
        ctx.status(204);
    }

    private void addTier(Context ctx) {
        TierInput in = bodies.read(ctx, TierInput.class);
        String queue = queueName(in.queue());
        String agent = agentName("agent", in.agent());
        int level = in.level() == null ? 1 : FieldCheck.range("level", in.level(), 1, 10_000);
        int position = in.position() == null ? 1 : FieldCheck.range("position", in.position(), 1, 10_000);
        TierState state = in.state() == null ? null : WireValue.parse(TierState.class, in.state(), "state");
        CallCenterCommands cc = queueNode(queue);
        cc.tierAdd(queue, agent, level, position);
        if (state != null && state != TierState.READY) {
            cc.tierSetState(queue, agent, state);
        }
        ctx.status(201);
        answer(ctx, () -> tiers.find(queue, agent), "tier " + queue + " " + agent);
    }

    private void changeTier(Context ctx) {
        String queue = queueName(ctx.pathParam("queue"));
        String agent = agentName("agent", ctx.pathParam("agent"));
        TierInput in = bodies.read(ctx, TierInput.class);
        if ((in.queue() != null && !in.queue().equals(queue)) || (in.agent() != null && !in.agent().equals(agent))) {
            throw new InvalidValueException(in.queue() != null && !in.queue().equals(queue) ? "queue" : "agent",
                    "must match the path");
        }
        TierState state = in.state() == null ? null : WireValue.parse(TierState.class, in.state(), "state");
        Integer level = in.level() == null ? null : FieldCheck.range("level", in.level(), 1, 10_000);
        Integer position = in.position() == null ? null : FieldCheck.range("position", in.position(), 1, 10_000);
        if (state == null && level == null && position == null) {
            throw new InvalidValueException("body", "name at least one of state, level, position");
        }
        CallCenterCommands cc = queueNode(queue);
        if (state != null) {
            cc.tierSetState(queue, agent, state);
        }
        if (level != null) {
            cc.tierSetLevel(queue, agent, level);
        }
        if (position != null) {
            cc.tierSetPosition(queue, agent, position);
        }
        answer(ctx, () -> tiers.find(queue, agent), "tier " + queue + " " + agent);
    }

    private void deleteTier(Context ctx) {
        String queue = queueName(ctx.pathParam("queue"));
        String agent = agentName("agent", ctx.pathParam("agent"));
        queueNode(queue).tierDel(queue, agent);
        ctx.status(204);
    }

    /** callcenter_config on the node the queue's definition names, else where the settings say it runs. */
    private CallCenterCommands queueNode(String queue) {
        return control.callCenterOn(queues.find(queue).map(CallcenterQueue::node).orElse(null), queue);
    }

    /** The {@code agent set} commands for every field present, each value checked now. */
    private static List<Consumer<CallCenterCommands>> changes(String name, AgentInput in) {
        List<Consumer<CallCenterCommands>> out = new ArrayList<>();
        if (in.contact() != null) {
            String contact = FieldCheck.required("contact", in.contact(), 1024);
            FieldCheck.noVariables("contact", contact);
            out.add(cc -> cc.agentSetContact(name, contact));
        }
        if (in.status() != null) {
            AgentStatus status = WireValue.parse(AgentStatus.class, in.status(), "status");
            if (status == AgentStatus.UNKNOWN) {
                throw new InvalidValueException("status", "cannot be set to Unknown");
            }
            out.add(cc -> cc.agentSetStatus(name, status));
        }
        if (in.state() != null) {
            AgentState state = WireValue.parse(AgentState.class, in.state(), "state");
            if (state == AgentState.UNKNOWN) {
                throw new InvalidValueException("state", "cannot be set to Unknown");
            }
            out.add(cc -> cc.agentSetState(name, state));
        }
        numeric(out, name, "max_no_answer", AgentNumericKey.MAX_NO_ANSWER, in.maxNoAnswer());
        numeric(out, name, "wrap_up_time", AgentNumericKey.WRAP_UP_TIME, in.wrapUpTime());
        numeric(out, name, "reject_delay_time", AgentNumericKey.REJECT_DELAY_TIME, in.rejectDelayTime());
        numeric(out, name, "busy_delay_time", AgentNumericKey.BUSY_DELAY_TIME, in.busyDelayTime());
        numeric(out, name, "no_answer_delay_time", AgentNumericKey.NO_ANSWER_DELAY_TIME, in.noAnswerDelayTime());
        numeric(out, name, "ready_time", AgentNumericKey.READY_TIME, in.readyTime());
        return out;
    }

    private static void numeric(List<Consumer<CallCenterCommands>> out, String name, String field, AgentNumericKey key,
            Integer value) {
        if (value != null) {
            int v = FieldCheck.range(field, value, 0, Integer.MAX_VALUE);
            out.add(cc -> cc.agentSet(name, key, v));
        }
    }

    private static String agentName(String field, String value) {
        return FieldCheck.matches(field, value, AGENT_NAME,
                "must be an agent name such as 1000@default (letters, digits, '.', '_', '@', '+', '-')");
    }

    private static String queueName(String value) {
        return FieldCheck.matches("queue", value, IvrActionType.QUEUE_NAME, "must be a queue name such as sales@default");
    }

    /**
     * The row as mod_callcenter wrote it, read again for up to {@link #VISIBLE_WITHIN} while it is not visible yet.
     * When it stays invisible (a node that keeps mod_callcenter in a database of its own), 202 with a problem-shaped
     * body that says so and names the resource, never an empty one.
     */
    private void answer(Context ctx, java.util.function.Supplier<java.util.Optional<?>> find, String what) {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        java.util.Optional<?> row = find.get();
        while (row.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            row = find.get();
        }
        if (row.isPresent()) {
            bodies.send(ctx, row.get());
            return;
        }
        bodies.send(ctx.status(202), new Accepted("accepted", what,
                "FreeSWITCH accepted the command, but its row is not visible in this database after "
                        + VISIBLE_WITHIN.toMillis() + " ms: does the node keep mod_callcenter in a database of its "
                        + "own (odbc-dsn in callcenter.conf)?"));
    }
}

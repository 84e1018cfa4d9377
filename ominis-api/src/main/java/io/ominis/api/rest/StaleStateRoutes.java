package io.ominis.api.rest;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.Member;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.NodeLiveness;
import io.ominis.core.switchstate.NodeSighting;
import io.ominis.core.switchstate.Registration;
import io.ominis.core.switchstate.StaleRepair;
import io.ominis.core.switchstate.StaleState;
import io.ominis.db.StaleStateDao;
import io.ominis.api.metrics.StaleStateMeters;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/nodes/stale}: the rows FreeSWITCH nodes left behind after not answering any server for longer than
 * {@code OMINIS_STALE_NODE_AFTER_MS}, and their repair. The work is {@link StaleStateDao}'s; this is HTTP only.
 */
public final class StaleStateRoutes {

    /**
     * A repair as clients ask for it; every kind defaults to false and at least one must be chosen.
     *
     * @param nodes       stale nodes to repair; absent or empty for all stale nodes
     * @param agentStatus the status agents held by stale nodes get ({@code Logged Out}, {@code On Break}, …;
     *                    {@code agent_status} on the wire, as every field is snake_case);
     *                    absent leaves agents alone
     * @param dryRun      answer what would be done, changing nothing
     */
    @NullMarked
    public record RepairInput(@Nullable List<String> nodes, @Nullable Boolean members,
            @OneOf(AgentStatus.class) @Nullable String agentStatus, @Nullable Boolean channels,
            @Nullable Boolean calls, @Nullable Boolean registrations, @Nullable Boolean dryRun) {
    }

    /** One node's verdict. */
    @NullMarked
    public record NodeView(String node, @Nullable String switchname, @Nullable String ccInstanceId,
            @Nullable Instant firstChecked, @Nullable Instant lastChecked, @Nullable Instant lastSeen,
            long silentSeconds, @Nullable String lastError) {

        static List<NodeView> of(List<NodeSighting> sightings, Instant at) {
            return sightings.stream().map(s -> new NodeView(s.node(), s.switchname(), s.ccInstanceId(),
                    s.firstChecked(), s.lastChecked(), s.lastSeen(), s.silentFor(at).toSeconds(), s.lastError()))
                    .toList();
        }
    }

    /** How many rows of each kind. */
    @NullMarked
    public record Counts(int members, int agents, int channels, int calls, int registrations) {
    }

    /**
     * What was found (or repaired): the nodes by verdict and the rows, agents as they were before a reset.
     *
     * @param staleAfterSeconds the configured time
     * @param stale             nodes whose rows are listed
     * @param spared            stale nodes left out by the request
     * @param repaired          whether the rows were removed or reset (false for a look or a dry run)
     */
    @NullMarked
    public record StaleView(Instant at, long staleAfterSeconds, List<NodeView> stale, List<NodeView> live,
            List<NodeView> spared, boolean repaired, Counts counts, List<Member> members, List<Agent> agents,
            List<Channel> channels, List<Call> calls, List<Registration> registrations) {

        static StaleView of(StaleState s) {
            NodeLiveness l = s.liveness();
            return new StaleView(l.at(), l.after().toSeconds(), NodeView.of(l.stale(), l.at()),
                    NodeView.of(l.live(), l.at()), NodeView.of(l.spared(), l.at()), s.repaired(),
                    new Counts(s.members().size(), s.agents().size(), s.channels().size(), s.calls().size(),
                            s.registrations().size()),
                    s.members(), s.agents(), s.channels(), s.calls(), s.registrations());
        }
    }

    private final StaleStateDao stale;
    private final Duration after;
    private final StaleStateMeters meters;
    private final JsonBodies bodies;

    /** @param after the configured time ({@code OMINIS_STALE_NODE_AFTER_MS}) */
    public StaleStateRoutes(StaleStateDao stale, Duration after, StaleStateMeters meters, JsonBodies bodies) {
        this.stale = stale;
        this.after = after;
        this.meters = meters;
        this.bodies = bodies;
    }

    public void register(ApiRouter router) {
        String tag = "nodes";
        router.add(Operation.json(GET, "/v1/nodes/stale", tag, "FreeSWITCH nodes no server has reached for longer "
                        + "than OMINIS_STALE_NODE_AFTER_MS and the members, agents, channels, calls and registrations "
                        + "they left behind; live nodes' rows are never listed", StaleView.class)
                .query("node", "string", "only these stale nodes (comma-separated names of OMINIS_FREESWITCH_NODES)")
                .errors(409), this::find);
        router.add(Operation.json(POST, "/v1/nodes/stale/repair", tag, "Remove the stale nodes' members, channels, "
                        + "calls and registrations and reset the agents they held to agentStatus, as chosen, in one "
                        + "transaction; dryRun answers what would be done. A live node is refused with 409",
                        StaleView.class)
                .withRequest(RepairInput.class).errors(409), this::repair);
    }

    private void find(Context ctx) {
        String names = QueryParams.string(ctx, "node");
        Set<String> nodes = new LinkedHashSet<>();
        if (names != null) {
            for (String n : names.split(",", -1)) {
                if (n.isBlank()) {
                    throw new InvalidValueException("node", "must be comma-separated node names, got '" + names + "'");
                }
                nodes.add(n.strip());
            }
        }
        StaleState found = stale.find(after, nodes);
        meters.found(found);
        bodies.send(ctx, StaleView.of(found));
    }

    private void repair(Context ctx) {
        RepairInput in = bodies.read(ctx, RepairInput.class);
        Set<String> nodes = new LinkedHashSet<>();
        if (in.nodes() != null) {
            for (int i = 0; i < in.nodes().size(); i++) {
                String n = in.nodes().get(i);
                if (n == null || n.isBlank()) {
                    throw new InvalidValueException("nodes[" + i + "]", "must be a node name");
                }
                nodes.add(n);
            }
        }
        AgentStatus status = in.agentStatus() == null ? null
                : WireValue.parse(AgentStatus.class, in.agentStatus(), "agent_status");
        if (status == AgentStatus.UNKNOWN) {
            throw new InvalidValueException("agent_status", "must be a status mod_callcenter accepts, not 'Unknown'");
        }
        StaleRepair repair = new StaleRepair(nodes, on(in.members()), status, on(in.channels()), on(in.calls()),
                on(in.registrations()), on(in.dryRun()));
        StaleState done = stale.repair(repair, after);
        if (done.repaired()) {
            meters.repaired(done);
        } else {
            meters.found(done);
        }
        bodies.send(ctx, StaleView.of(done));
    }

    private static boolean on(Boolean b) {
        return b != null && b;
    }
}

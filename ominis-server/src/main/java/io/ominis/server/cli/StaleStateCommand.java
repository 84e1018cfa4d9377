package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.OminisException;
import io.ominis.core.WireValue;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.StaleStateSettings;
import io.ominis.core.switchstate.NodeLiveness;
import io.ominis.core.switchstate.NodeSighting;
import io.ominis.core.switchstate.StaleRepair;
import io.ominis.core.switchstate.StaleState;
import io.ominis.db.ConnectionPool;
import io.ominis.db.NodeSightings;
import io.ominis.db.StaleStateDao;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stale-state}: shows the rows FreeSWITCH nodes left behind after no server reached them for longer than
 * {@code OMINIS_STALE_NODE_AFTER_MS}, and with {@code --repair} removes or resets the kinds chosen, in one
 * transaction. The same {@link StaleStateDao} as {@code POST /v1/nodes/stale/repair}; safe to run from several places
 * at once. Exit 0 when done, 1 when the request is refused (a live node, nothing chosen), 2 when the settings or the
 * database fail.
 */
@Command(name = "stale-state", mixinStandardHelpOptions = true,
        description = {
            "Show (default) or repair the members, agents, channels, calls and registrations of FreeSWITCH nodes",
            "no server has reached for longer than OMINIS_STALE_NODE_AFTER_MS (default 300000). Rows of live nodes",
            "are never touched. Nodes are judged by what running servers recorded (freeswitch_node_sightings)."
        })
public final class StaleStateCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--repair", description = "remove or reset the chosen kinds (else only show)")
    private boolean repair;

    @Option(names = "--dry-run", description = "with --repair: show what would be done, change nothing")
    private boolean dryRun;

    @Option(names = "--node", paramLabel = "NAME", split = ",",
            description = "only these stale nodes (repeatable or comma-separated); default every stale node")
    private List<String> nodes = List.of();

    @Option(names = "--members", description = "delete the stale members rows")
    private boolean members;

    @Option(names = "--agents-to", paramLabel = "STATUS",
            description = "reset the agents stale nodes held to STATUS, e.g. 'Logged Out'")
    private String agentStatus;

    @Option(names = "--channels", description = "delete the stale channels rows")
    private boolean channels;

    @Option(names = "--calls", description = "delete the stale calls rows")
    private boolean calls;

    @Option(names = "--registrations", description = "delete the stale registrations rows")
    private boolean registrations;

    @Option(names = "--all", description = "every kind; agents go to --agents-to, default 'Logged Out'")
    private boolean all;

    public StaleStateCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StaleRepair request;
        try {
            AgentStatus status = agentStatus == null ? (all ? AgentStatus.LOGGED_OUT : null)
                    : WireValue.parse(AgentStatus.class, agentStatus, "--agents-to");
            request = new StaleRepair(new LinkedHashSet<>(nodes), members || all, status, channels || all,
                    calls || all, registrations || all, dryRun || !repair);
        } catch (InvalidValueException e) {
            if (repair) {
                err.println("ominis stale-state: " + e.getMessage());
                return 1;
            }
            request = null;
        }
        try {
            DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
            StaleStateSettings settings = StaleStateSettings.fromEnvironment(env);
            try (HikariDataSource pool = ConnectionPool.open(database.withPoolSize(2))) {
                StaleStateDao dao = new StaleStateDao(pool, new NodeSightings(pool));
                StaleState state = request == null || !repair
                        ? dao.find(settings.staleAfter(), new LinkedHashSet<>(nodes))
                        : dao.repair(request, settings.staleAfter());
                print(out, state, repair && !request.dryRun());
                return 0;
            }
        } catch (ConflictException | InvalidValueException e) {
            err.println("ominis stale-state: " + e.getMessage());
            return 1;
        } catch (OminisException e) {
            err.println("ominis stale-state: " + e.getMessage());
            return 2;
        }
    }

    private static void print(PrintWriter out, StaleState s, boolean repaired) {
        NodeLiveness l = s.liveness();
        out.println("Nodes judged at " + l.at() + ", stale after " + l.after().toSeconds() + " s:");
        if (l.stale().isEmpty() && l.live().isEmpty() && l.spared().isEmpty()) {
            out.println("    (no sightings recorded: no server with OMINIS_FREESWITCH_NODES has probed yet)");
        }
        l.stale().forEach(n -> out.println("    STALE  " + describe(n, l)));
        l.spared().forEach(n -> out.println("    SPARED " + describe(n, l)));
        l.live().forEach(n -> out.println("    LIVE   " + describe(n, l)));
        String verb = repaired ? "Repaired" : "Found";
        out.println(verb + ": " + s.members().size() + " member(s), " + s.agents().size() + " agent(s), "
                + s.channels().size() + " channel(s), " + s.calls().size() + " call(s), "
                + s.registrations().size() + " registration(s)");
        s.members().forEach(m -> out.println("    member " + m.queue() + " " + m.uuid() + " " + m.state()
                + " caller " + m.cidNumber() + " session " + m.sessionUuid()));
        s.agents().forEach(a -> out.println("    agent " + a.name() + " " + a.status() + " / " + a.state()));
        s.channels().forEach(c -> out.println("    channel " + c.uuid() + " " + c.name() + " on " + c.hostname()));
        s.calls().forEach(c -> out.println("    call " + c.callUuid() + " on " + c.hostname()));
        s.registrations().forEach(r -> out.println("    registration " + r.regUser() + "@" + r.realm() + " on "
                + r.hostname()));
    }

    private static String describe(NodeSighting n, NodeLiveness l) {
        return n.node() + " (switchname " + (n.switchname() == null ? "unknown" : n.switchname())
                + (n.lastSeen() == null ? ", never answered" : ", last answered " + n.lastSeen())
                + ", silent " + n.silentFor(l.at()).toSeconds() + " s"
                + (n.lastError() == null ? "" : ", last error: " + n.lastError()) + ")";
    }
}

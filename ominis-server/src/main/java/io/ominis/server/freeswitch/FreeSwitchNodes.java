package io.ominis.server.freeswitch;

import io.ominis.core.InvalidValueException;
import io.ominis.server.ServerSettings;
import io.ominis.server.api.SwitchControl;
import io.ominis.xmlrpc.AclReloader;
import io.ominis.xmlrpc.CallCenterCommands;
import io.ominis.xmlrpc.FreeSwitchCluster;
import io.ominis.xmlrpc.NodeHealth;
import io.ominis.xmlrpc.NodeResult;
import io.ominis.xmlrpc.QueueCommand;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured FreeSWITCH nodes, steered over XML-RPC: coalesced {@code reloadacl} after ACL changes,
 * {@code xml_flush_cache} after extension changes (only when FreeSWITCH caches users, i.e. {@code cacheable} is on),
 * and {@code callcenter_config} on the node that owns a queue.
 */
public final class FreeSwitchNodes implements SwitchControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FreeSwitchNodes.class);

    private final ServerSettings settings;
    private final FreeSwitchCluster cluster;
    private final AclReloader aclReloader;
    private final ExecutorService background;
    private final Set<String> domainsSeen;

    /**
     * @param domainsSeen the directory domains FreeSWITCH asked about, to flush a user in each of them
     */
    public FreeSwitchNodes(ServerSettings settings, FreeSwitchCluster cluster, Set<String> domainsSeen) {
        this.settings = settings;
        this.cluster = cluster;
        this.aclReloader = new AclReloader(cluster, settings.aclReloadWindow());
        this.domainsSeen = domainsSeen;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ominis-freeswitch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the cluster from the settings, or returns {@link SwitchControl#NONE} when no node is configured. */
    public static SwitchControl fromSettings(ServerSettings settings) {
        if (settings.freeswitchNodes().isEmpty()) {
            return SwitchControl.NONE;
        }
        FreeSwitchCluster cluster = FreeSwitchCluster.builder().nodes(settings.freeswitchNodes()).build();
        return new FreeSwitchNodes(settings, cluster, ConcurrentHashMap.newKeySet());
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public CompletableFuture<List<NodeOutcome>> reloadAcl() {
        return aclReloader.request().thenApply(FreeSwitchNodes::outcomes);
    }

    @Override
    public void aclChanged() {
        aclChangedAndReloaded();
    }

    @Override
    public CompletableFuture<List<NodeOutcome>> aclChangedAndReloaded() {
        return aclReloader.request().whenComplete((results, failure) -> {
            if (failure != null) {
                LOG.warn("reloadacl after an ACL change failed: {}", failure.getMessage());
            } else {
                results.stream().filter(r -> !r.ok()).forEach(r ->
                        LOG.warn("reloadacl on {} failed: {}", r.node(), r.error().getMessage()));
            }
        }).thenApply(FreeSwitchNodes::outcomes);
    }

    @Override
    public void extensionChanged(String number) {
        if (settings.cacheableMillis() <= 0) {
            return; // FreeSWITCH asks us on every lookup: nothing of ours is cached there
        }
        List<String> domains = List.copyOf(domainsSeen);
        background.execute(() -> {
            for (String domain : domains) {
                cluster.xmlFlushCache(number, domain).stream().filter(r -> !r.ok()).forEach(r ->
                        LOG.warn("xml_flush_cache of {}@{} on {} failed: {}", number, domain, r.node(),
                                r.error().getMessage()));
            }
        });
    }

    @Override
    public void directoryDomainSeen(String domain) {
        if (domainsSeen.size() < 1000) {
            domainsSeen.add(domain);
        }
    }

    @Override
    public CallCenterCommands callCenter(String queue) {
        return queue == null ? callCenterForAgents() : callCenterFor(queue);
    }

    /**
     * callcenter_config on the node that runs {@code queue} by {@code OMINIS_FREESWITCH_QUEUE_OWNERS} (or the only
     * node); see {@link #callCenterOn} for a queue whose definition names its node.
     */
    public CallCenterCommands callCenterFor(String queue) {
        String owner = settings.queueOwners().get(queue);
        if (owner == null) {
            if (cluster.nodes().size() == 1) {
                owner = cluster.nodes().get(0).name();
            } else {
                throw new InvalidValueException("queue", "no FreeSWITCH node is known to run '" + queue
                        + "'; name it in OMINIS_FREESWITCH_QUEUE_OWNERS");
            }
        }
        return cluster.callCenter(owner);
    }

    @Override
    public CallCenterCommands callCenterOn(String node, String queue) {
        if (node == null) {
            return callCenter(queue);
        }
        if (!nodeNames().contains(node)) {
            throw new InvalidValueException("node", "'" + node + "' is not a node of OMINIS_FREESWITCH_NODES");
        }
        return cluster.callCenter(node);
    }

    @Override
    public List<String> nodeNames() {
        return cluster.nodes().stream().map(n -> n.name()).toList();
    }

    @Override
    public List<NodeOutcome> queueCommand(QueueCommand command, String queue, String node) {
        String target = node != null ? node : settings.queueOwners().get(queue);
        if (target != null && !nodeNames().contains(target)) {
            return List.of(new NodeOutcome(target, false, null, "not a node of OMINIS_FREESWITCH_NODES"));
        }
        List<NodeResult<Void>> results = cluster.queueCommand(command, queue,
                target == null ? List.of() : List.of(target));
        results.stream().filter(r -> !r.ok()).forEach(r -> LOG.warn("callcenter_config queue {} {} on {} failed: {}",
                command.action(), queue, r.node(), r.error().getMessage()));
        return outcomes(results);
    }

    /**
     * callcenter_config for agent changes. Agents live in the shared database, so any node can write them; the first
     * healthy node (in configuration order) is used.
     */
    public CallCenterCommands callCenterForAgents() {
        List<NodeHealth> health = cluster.health();
        return health.stream().filter(NodeHealth::healthy).findFirst()
                .map(h -> cluster.callCenter(h.node()))
                .orElseGet(() -> cluster.callCenter(cluster.nodes().get(0).name()));
    }

    /** The cluster itself, for probes that talk to every node (the node watch). */
    public FreeSwitchCluster cluster() {
        return cluster;
    }

    /** Health of every node. */
    public List<NodeHealth> health() {
        return cluster.health();
    }

    private static List<NodeOutcome> outcomes(List<NodeResult<Void>> results) {
        return results.stream()
                .map(r -> new NodeOutcome(r.node(), r.ok(), r.ok() ? "+OK" : null,
                        r.ok() ? null : r.error().getMessage()))
                .toList();
    }

    @Override
    public void close() {
        aclReloader.close();
        background.shutdownNow();
        cluster.close();
    }
}

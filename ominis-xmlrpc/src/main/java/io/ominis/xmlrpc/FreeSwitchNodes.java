package io.ominis.xmlrpc;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.config.SettingsReader;
import java.time.Duration;
import java.util.Map;
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

    /**
     * How the nodes are steered.
     *
     * @param nodes            the XML-RPC endpoints, in configuration order
     * @param aclReloadWindow  how long ACL changes are gathered into one {@code reloadacl}
     * @param usersCached      whether FreeSWITCH caches directory users (a {@code cacheable} answer), so changed users
     *                         must be flushed with {@code xml_flush_cache}
     * @param queueOwners      queue name to the name of the node that runs it
     */
    public record Settings(List<FreeSwitchNode> nodes, Duration aclReloadWindow, boolean usersCached,
            Map<String, String> queueOwners) {
        /** Copies the collections and checks for nulls. */
        /**
         * Checks every field, with the messages of {@link #fromEnvironment}.
         *
         * @throws io.ominis.core.ConfigurationException naming the environment variable of the wrong field
         */
        public Settings {
            nodes = List.copyOf(nodes);
            SettingsReader.requireMillis("OMINIS_ACL_RELOAD_WINDOW_MS", aclReloadWindow, Duration.ZERO,
                    Duration.ofMinutes(1));
            queueOwners = Map.copyOf(queueOwners);
            for (Map.Entry<String, String> owner : queueOwners.entrySet()) {
                String node = owner.getValue();
                if (!QUEUE_NAME.matcher(owner.getKey()).matches() || nodes.stream().noneMatch(n -> n.name().equals(node))) {
                    throw new ConfigurationException("OMINIS_FREESWITCH_QUEUE_OWNERS", "'" + owner.getKey() + "="
                            + node + "' must be queue=node with a node named in OMINIS_FREESWITCH_NODES");
                }
            }
        }

        /**
         * Maps {@code OMINIS_FREESWITCH_NODES} ({@code name=http://user:pass@host:8080,…}),
         * {@code OMINIS_FREESWITCH_QUEUE_OWNERS} ({@code queue@domain=node,…}) and {@code OMINIS_ACL_RELOAD_WINDOW_MS}
         * (default 1000).
         *
         * @param usersCached whether the directory answers FreeSWITCH with {@code cacheable}
         * @throws ConfigurationException naming the first wrong setting
         */
        public static Settings fromEnvironment(Map<String, String> environment, boolean usersCached) {
            SettingsReader env = new SettingsReader(environment);
            List<FreeSwitchNode> nodes = env.has("OMINIS_FREESWITCH_NODES")
                    ? FreeSwitchNode.parseAll(env.string("OMINIS_FREESWITCH_NODES")) : List.of();
            Map<String, String> owners = new java.util.LinkedHashMap<>();
            String ownerText = env.string("OMINIS_FREESWITCH_QUEUE_OWNERS");
            for (String pair : ownerText == null ? new String[0] : ownerText.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.lastIndexOf('=');
                if (eq < 0) {
                    throw new ConfigurationException("OMINIS_FREESWITCH_QUEUE_OWNERS", "'" + pair.strip()
                            + "' must be queue=node with a node named in OMINIS_FREESWITCH_NODES");
                }
                owners.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return new Settings(nodes, env.millis("OMINIS_ACL_RELOAD_WINDOW_MS", Duration.ofSeconds(1), Duration.ZERO,
                    Duration.ofMinutes(1)), usersCached, owners);
        }
    }

    private static final java.util.regex.Pattern QUEUE_NAME = io.ominis.core.ivr.IvrActionType.QUEUE_NAME;

    private final Settings settings;
    private final FreeSwitchCluster cluster;
    private final AclReloader aclReloader;
    private final ExecutorService background;
    private final Set<String> domainsSeen;

    /**
     * @param domainsSeen the directory domains FreeSWITCH asked about, to flush a user in each of them
     */
    public FreeSwitchNodes(Settings settings, FreeSwitchCluster cluster, Set<String> domainsSeen) {
        this(settings, cluster, domainsSeen, ReloadCoordination.LOCAL);
    }

    /**
     * @param domainsSeen  the directory domains FreeSWITCH asked about, to flush a user in each of them
     * @param coordination how ACL reloads are shared with the other server replicas
     */
    public FreeSwitchNodes(Settings settings, FreeSwitchCluster cluster, Set<String> domainsSeen,
            ReloadCoordination coordination) {
        this.settings = settings;
        this.cluster = cluster;
        this.aclReloader = new AclReloader(cluster::reloadAcl, settings.aclReloadWindow(), coordination);
        this.domainsSeen = domainsSeen;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ominis-freeswitch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the cluster from the settings, or returns {@link SwitchControl#NONE} when no node is configured. */
    public static SwitchControl create(Settings settings) {
        return create(settings, ReloadCoordination.LOCAL);
    }

    /** The same, sharing ACL reloads with the other replicas through {@code coordination}. */
    public static SwitchControl create(Settings settings, ReloadCoordination coordination) {
        if (settings.nodes().isEmpty()) {
            return SwitchControl.NONE;
        }
        FreeSwitchCluster cluster = FreeSwitchCluster.builder().nodes(settings.nodes()).build();
        return new FreeSwitchNodes(settings, cluster, ConcurrentHashMap.newKeySet(), coordination);
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
        if (!settings.usersCached()) {
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

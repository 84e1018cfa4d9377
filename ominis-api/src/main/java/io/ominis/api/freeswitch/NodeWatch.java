package io.ominis.api.freeswitch;

import io.ominis.db.NodeSightings;
import io.ominis.xmlrpc.FreeSwitchCluster;
import io.ominis.xmlrpc.FreeSwitchException;
import io.ominis.xmlrpc.NodeResult;
import io.ominis.xmlrpc.XmlRpcAuthenticationException;
import io.ominis.xmlrpc.XmlRpcFaultException;
import io.ominis.xmlrpc.XmlRpcTransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every FreeSWITCH node on a fixed interval with the {@code switchname} API and records each outcome in
 * {@link NodeSightings}, the shared record stale-state repair judges nodes by. Any reply (an {@code -ERR}, a refused
 * login) proves the node is up; only a transport failure or a timeout counts against it. A database hiccup costs one
 * probe's record, never the schedule.
 */
public final class NodeWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);

    private final FreeSwitchCluster cluster;
    private final NodeSightings sightings;
    private final ScheduledExecutorService timer;

    /**
     * @param cluster   the nodes; each probe is bounded by the cluster's fan-out timeout
     * @param sightings where outcomes are recorded
     */
    public NodeWatch(FreeSwitchCluster cluster, NodeSightings sightings) {
        this.cluster = cluster;
        this.sightings = sightings;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ominis-node-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Probes every {@code every}, the first time after one interval: a server starting beside its switches would
     * otherwise record them as failing before they are up, and the verdict needs many intervals anyway.
     */
    public NodeWatch start(Duration every) {
        timer.scheduleWithFixedDelay(this::probeQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Probes every node once and records the outcomes; answers how many nodes answered. */
    public int probe() {
        List<NodeResult<String>> results = cluster.onEveryNode("switchname", c -> c.api("switchname", ""));
        int up = 0;
        for (NodeResult<String> r : results) {
            if (r.ok()) {
                sightings.answered(r.node(), r.value().strip(), null);
                up++;
            } else if (answered(r.error())) {
                sightings.answered(r.node(), null, null);
                up++;
            } else {
                sightings.failed(r.node(), r.error().getMessage());
            }
        }
        return up;
    }

    private void probeQuietly() {
        try {
            probe();
        } catch (RuntimeException e) {
            LOG.warn("recording FreeSWITCH node sightings failed: {}", e.getMessage());
        }
    }

    private static boolean answered(FreeSwitchException error) {
        return !(error instanceof XmlRpcTransportException) || error instanceof XmlRpcAuthenticationException
                || error instanceof XmlRpcFaultException;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

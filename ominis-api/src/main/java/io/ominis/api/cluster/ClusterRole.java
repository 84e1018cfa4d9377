package io.ominis.api.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ominis.db.ChangeListener;
import io.ominis.db.Leadership;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This replica's place among the servers sharing the database: whether it leads the work that must run once per
 * cluster (the {@value #TASK} {@link Leadership}), shown as the metrics {@code ominis_leader} (1 while leading) and
 * {@code ominis_leader_changes_total}, and the periodic work only the leader does ({@link #whileLeading}).
 */
public final class ClusterRole implements AutoCloseable {

    /** The leadership task of the background work (prompt warming on changes). */
    public static final String TASK = "background";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRole.class);

    private final String replica;
    private final Leadership leadership;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ominis-leader-work");
        t.setDaemon(true);
        return t;
    });

    private ClusterRole(String replica, Leadership leadership) {
        this.replica = replica;
        this.leadership = leadership;
    }

    /** Starts competing for leadership over connections from {@code source}, with metrics in {@code registry}. */
    public static ClusterRole start(ChangeListener.ConnectionSource source, MeterRegistry registry) {
        String replica = replicaName();
        Counter changes = Counter.builder("ominis.leader.changes").tag("task", TASK)
                .description("times this replica became or stopped being the leader").register(registry);
        Leadership leadership = Leadership.start(TASK, replica, source, leading -> changes.increment());
        ClusterRole role = new ClusterRole(replica, leadership);
        Gauge.builder("ominis.leader", leadership, l -> l.isLeader() ? 1 : 0).tag("task", TASK)
                .description("1 while this replica leads the cluster's background work").register(registry);
        return role;
    }

    /** Whether this replica runs the cluster's background work now. */
    public boolean leads() {
        return leadership.isLeader();
    }

    /**
     * Runs {@code task} every {@code period} (the first time at once) on whichever replica leads at that moment: on
     * one replica of the cluster at a time, taken over by the next leader. The task must be idempotent (around a
     * failover two replicas may both run it once); its failures are logged, and it runs again next period.
     */
    public void whileLeading(String name, Duration period, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            if (!leads()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("background work '{}' failed on the leader: {}", name, e.getMessage());
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The leadership itself, for tests and embedders. */
    public Leadership leadership() {
        return leadership;
    }

    /** This replica's name: host, process id and a random suffix (replicas in one JVM differ too). */
    public String replica() {
        return replica;
    }

    /** A name for this replica: host, process id and a random suffix (replicas in one JVM differ too). */
    public static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(suffix);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        leadership.close();
    }
}

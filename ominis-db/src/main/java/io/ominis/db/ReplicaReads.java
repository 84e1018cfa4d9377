package io.ominis.db;

import io.ominis.core.OminisException;
import io.ominis.core.UnavailableException;
import io.ominis.core.config.ReadReplicaSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reads that may trail the primary by a moment (live state, CDRs and their statistics, the console) to a
 * streaming standby while its replay lag is within {@link ReadReplicaSettings#maxLag()}, and to the primary
 * otherwise. Writes and directory lookups never come here: they use the primary {@link Database} directly.
 *
 * <p>The lag is measured in the background every {@link ReadReplicaSettings#probeEvery()} without a heartbeat table:
 * each probe notes the primary's current WAL position with the time it was seen, and the replica's replay position;
 * the lag is how long ago the primary first had a position the replica has not replayed yet (0 when it has replayed
 * all of it). So an idle primary is not mistaken for a lagging replica, as {@code now() -
 * pg_last_xact_replay_timestamp()} would be, and the clocks of the two servers never meet. The figure is exact to
 * one probe interval.
 *
 * <p>A replica that is down or frozen never hangs a read for long: its pool's connect, statement and socket timeouts
 * are {@link ReadReplicaSettings#timeout()}, a read that fails there is answered from the primary, and the replica is
 * not used again until a probe succeeds. A probe that itself hangs makes the last measurement stale, which also sends
 * reads to the primary.
 */
public final class ReplicaReads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaReads.class);

    /** Most primary positions remembered while the replica is behind; past this the lag is understated. */
    static final int MAX_SAMPLES = 10_000;

    /** Where a read went. */
    public enum Target {
        PRIMARY, REPLICA;

        /** The metric label: {@code primary} or {@code replica}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What the last probe found and where reads go now, for {@code /health/ready} and metrics.
     *
     * @param configured whether a read DSN is set; without one every read goes to the primary
     * @param target     where the next read goes
     * @param reason     why reads go to the primary ({@code null} while they go to the replica)
     * @param lag        replay lag at the last successful probe, or {@code null} when never measured
     * @param lastProbe  when the last probe succeeded, or {@code null}
     * @param lastError  the last probe's or read's failure on the replica, or {@code null} since the last success
     */
    public record State(boolean configured, Target target, String reason, Duration lag, Instant lastProbe,
            String lastError) {
    }

    private record Sample(long nanos, long lsn) {
    }

    private final Database primary;
    private final Database replica;
    private final ReadReplicaSettings settings;
    private final ScheduledExecutorService prober;
    private final AtomicLong primaryReads = new AtomicLong();
    private final AtomicLong replicaReads = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final ArrayDeque<Sample> ahead = new ArrayDeque<>();

    private volatile long lastProbeNanos;
    private volatile Instant lastProbe;
    private volatile Duration lag;
    private volatile boolean inRecovery;
    /** When a read last failed on the replica (System.nanoTime), or null; cleared by a probe started after it. */
    private volatile Long failedAt;
    private volatile String lastError;

    private ReplicaReads(Database primary, Database replica, ReadReplicaSettings settings) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.replica = replica;
        this.settings = settings;
        if (replica == null) {
            this.prober = null;
            return;
        }
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ominis-replica-lag");
            t.setDaemon(true);
            return t;
        });
        prober.scheduleWithFixedDelay(this::probe, 0, settings.probeEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every read on {@code primary}: no read DSN is configured. */
    public static ReplicaReads primaryOnly(Database primary) {
        return new ReplicaReads(primary, null, null);
    }

    /**
     * Reads on {@code replica} (a data layer over the read DSN's pool, which the caller owns and closes after this)
     * while its lag allows, otherwise on {@code primary}; starts measuring the lag at once.
     */
    public static ReplicaReads start(Database primary, Database replica, ReadReplicaSettings settings) {
        return new ReplicaReads(primary, Objects.requireNonNull(replica, "replica"),
                Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Runs {@code query} on the replica when it is usable, else on the primary; a query that fails on the replica
     * because of the replica (unreachable, timed out, cancelled by a recovery conflict) runs again on the primary.
     * {@code query} must only read: it may run twice. It is told apart by the translated exceptions the Ominis DAOs
     * throw ({@link UnavailableException}, {@link DatabaseException}); raw Jdbi or JDBC exceptions are not retried.
     */
    public <T> T read(Function<Database, T> query) {
        Objects.requireNonNull(query, "query");
        if (why() == null) {
            try {
                T result = query.apply(replica);
                replicaReads.incrementAndGet();
                return result;
            } catch (UnavailableException | DatabaseException e) {
                // the replica's fault, not the caller's: a domain answer (not found, invalid value) is not retried
                failedAt = System.nanoTime();
                lastError = e.getMessage();
                fallbacks.incrementAndGet();
                LOG.warn("read replica failed, answering from the primary until a lag probe succeeds: {}",
                        e.getMessage());
            }
        }
        T result = query.apply(primary);
        primaryReads.incrementAndGet();
        return result;
    }

    /** The primary data layer, for writes and for reads that must see the latest commit. */
    public Database primary() {
        return primary;
    }

    /** Reads answered by {@code target} so far. */
    public long reads(Target target) {
        return target == Target.REPLICA ? replicaReads.get() : primaryReads.get();
    }

    /** Reads that failed on the replica and were answered from the primary. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Whether a read DSN is configured. */
    public boolean configured() {
        return replica != null;
    }

    /** The lag at the last successful probe, in seconds; NaN when none was measured or no read DSN is set. */
    public double lagSeconds() {
        Duration l = lag;
        return l == null ? Double.NaN : l.toNanos() / 1e9;
    }

    /** Where reads go now, and why. */
    public State state() {
        String reason = why();
        return new State(configured(), reason == null ? Target.REPLICA : Target.PRIMARY, reason, lag, lastProbe,
                lastError);
    }

    /** Why reads go to the primary now, or null when the replica is usable. */
    private String why() {
        if (replica == null) {
            return "no " + ReadReplicaSettings.DSN;
        }
        if (lastProbe == null) {
            return "replica lag not measured yet";
        }
        if (failedAt != null) {
            return "a read on the replica failed: " + lastError;
        }
        long staleAfter = settings.probeEvery().toNanos() + settings.timeout().multipliedBy(2).toNanos()
                + Duration.ofSeconds(1).toNanos();
        if (System.nanoTime() - lastProbeNanos > staleAfter) {
            return "no lag probe answered for " + Duration.ofNanos(System.nanoTime() - lastProbeNanos).toMillis()
                    + " ms" + (lastError == null ? "" : ": " + lastError);
        }
        if (!inRecovery) {
            return "the read server is not a standby (promoted, or the read DSN reached the primary)";
        }
        Duration l = lag;
        if (l.compareTo(settings.maxLag()) > 0) {
            return "replica lag " + l.toMillis() + " ms exceeds OMINIS_DB_READ_MAX_LAG_MS ("
                    + settings.maxLag().toMillis() + " ms)";
        }
        return null;
    }

    /** One measurement; runs on the prober thread only. */
    private void probe() {
        long started = System.nanoTime();
        try {
            Long primaryLsn = primaryPosition();
            long seenAt = System.nanoTime();
            boolean recovering;
            Long replayed;
            try (Connection c = replica.dataSource().getConnection();
                    PreparedStatement st = c.prepareStatement("SELECT pg_is_in_recovery(), "
                            + "pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint")) {
                st.setQueryTimeout(timeoutSeconds());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    recovering = rs.getBoolean(1);
                    replayed = rs.getObject(2) == null ? null : rs.getLong(2);
                }
            }
            if (primaryLsn != null && (ahead.isEmpty() || ahead.peekLast().lsn() < primaryLsn)
                    && ahead.size() < MAX_SAMPLES) {
                ahead.addLast(new Sample(seenAt, primaryLsn));
            }
            Duration measured;
            if (!recovering || replayed == null) {
                ahead.clear();
                measured = Duration.ZERO;
            } else {
                while (!ahead.isEmpty() && ahead.peekFirst().lsn() <= replayed) {
                    ahead.removeFirst();
                }
                measured = ahead.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - ahead.peekFirst().nanos());
            }
            lag = measured;
            inRecovery = recovering;
            lastProbe = Instant.now();
            lastProbeNanos = System.nanoTime();
            // a read that failed while this probe ran may have seen what the probe missed: the next probe decides
            Long failed = failedAt;
            if (failed == null || failed - started < 0) {
                failedAt = null;
                lastError = null;
            }
        } catch (SQLException | RuntimeException e) {
            OminisException translated = io.ominis.db.internal.SqlErrors.translate(e);
            if (lastError == null) {
                LOG.warn("read replica lag probe failed: {}", translated.getMessage());
            }
            lastError = translated.getMessage();
        }
    }

    /** The primary's current WAL position, or null when the primary does not answer (the lag is then unknown). */
    private Long primaryPosition() {
        try (Connection c = primary.dataSource().getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            st.setQueryTimeout(timeoutSeconds());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            LOG.debug("primary WAL position unknown: {}", e.getMessage());
            return null;
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (settings.timeout().toMillis() + 999) / 1000);
    }

    /** Stops measuring; the pools stay open (their owners close them). */
    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
    }

    /**
     * Opens a pool over the read DSN, named {@code ominis-read} so its metrics stay apart from the primary's. Unlike
     * the primary's it opens even while no replica answers: reads then go to the primary until one does.
     */
    public static com.zaxxer.hikari.HikariDataSource openPool(ReadReplicaSettings settings) {
        return ConnectionPool.open(settings.database(), "ominis-read", false);
    }
}

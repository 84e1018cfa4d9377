package io.ominis.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one leader among the server replicas sharing a database, for work that must run once per cluster (prompt
 * warming, CDR partition maintenance). The leader is whoever holds a PostgreSQL session advisory lock on a dedicated
 * connection: it is released by the server the moment that session ends (the replica died, its connection broke, the
 * database failed over), and another replica, which retries every {@link #RETRY}, takes over.
 *
 * <p>The leader proves its session every {@link #RETRY} with a round trip bounded by {@link #PROOF_TIMEOUT}; one that
 * fails makes it step down at once, before its session is known to be gone on the server. So there is at most one
 * leader that has proved its lock within the last {@code RETRY + PROOF_TIMEOUT}, and for a while possibly none (a
 * frozen connection holds the lock until the server notices). Work done by a leader must therefore tolerate a gap and,
 * around a failover, a few seconds of overlap: it must be idempotent, as warming and partition creation are.
 *
 * <p>The lock connection carries {@code application_name = ominis-leader:<replica>}, so {@link #leader(Connection, String)} can tell
 * from any replica (or psql) who leads: {@code pg_locks} joined to {@code pg_stat_activity}.
 */
public final class Leadership implements AutoCloseable {

    /** How often a follower tries to take the lock, and how often the leader proves it still holds it. */
    public static final Duration RETRY = Duration.ofSeconds(1);

    /** Longest the leader's proof may take before it steps down. */
    public static final Duration PROOF_TIMEOUT = Duration.ofSeconds(2);

    /** The first half of every Ominis leadership lock key (the second is the task's). */
    static final int LOCK_CLASS = 0x6f6d6e73;

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    private static final String APPLICATION_PREFIX = "ominis-leader:";

    private final String task;
    private final String replica;
    private final int lockKey;
    private final ChangeListener.ConnectionSource source;
    private final Consumer<Boolean> onChange;
    private final Thread thread;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean leader;
    private volatile Connection current;

    private Leadership(String task, String replica, ChangeListener.ConnectionSource source,
            Consumer<Boolean> onChange) {
        this.task = task;
        this.replica = replica;
        this.lockKey = keyOf(task);
        this.source = source;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "ominis-leadership-" + task);
        this.thread.setDaemon(true);
    }

    /**
     * Starts competing for leadership of {@code task} in a background thread of its own.
     *
     * @param task     what is led (e.g. {@code background}); replicas competing for the same task must use the same name
     * @param replica  this replica's name as {@link #leader(Connection, String)} shows it (host name and port, a pod name)
     * @param source   opens the dedicated connection that holds the lock (not a pooled one: the pool recycles them)
     * @param onChange called with {@code true} when this replica becomes leader and {@code false} when it steps down,
     *                 on the leadership thread; it must return quickly
     */
    public static Leadership start(String task, String replica, ChangeListener.ConnectionSource source,
            Consumer<Boolean> onChange) {
        if (Objects.requireNonNull(task, "task").isBlank() || Objects.requireNonNull(replica, "replica").isBlank()) {
            throw new IllegalArgumentException("task and replica must not be blank");
        }
        Leadership leadership = new Leadership(task, replica, Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(onChange, "onChange"));
        leadership.thread.start();
        return leadership;
    }

    /** The advisory lock's second key for {@code task}: stable across replicas and versions. */
    static int keyOf(String task) {
        CRC32 crc = new CRC32();
        crc.update(task.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** Whether this replica leads now (it proved its lock within the last {@code RETRY + PROOF_TIMEOUT}). */
    public boolean isLeader() {
        return leader;
    }

    /** The task led. */
    public String task() {
        return task;
    }

    /** This replica's name. */
    public String replica() {
        return replica;
    }

    /** Waits until the first attempt to take the lock is over; returns whether this replica leads then. */
    public boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
        firstAttempt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return leader;
    }

    /**
     * Who holds the lock according to the database, asked over {@code connection} (any connection to the same
     * database): the leading replica's name, or empty when nobody leads.
     */
    public static Optional<String> leader(Connection connection, String task) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT a.application_name
                  FROM pg_locks l
                  JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory'
                   AND l.granted
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid = ?::oid
                   AND l.objid = ?::oid
                   AND l.objsubid = 2
                """)) {
            st.setLong(1, Integer.toUnsignedLong(LOCK_CLASS));
            st.setLong(2, Integer.toUnsignedLong(keyOf(task)));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String name = rs.getString(1);
                return Optional.of(name != null && name.startsWith(APPLICATION_PREFIX)
                        ? name.substring(APPLICATION_PREFIX.length()) : String.valueOf(name));
            }
        }
    }

    private void run() {
        while (running) {
            try (Connection c = source.open()) {
                current = c;
                c.setNetworkTimeout(Runnable::run, (int) PROOF_TIMEOUT.toMillis());
                try (PreparedStatement name = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    name.setString(1, APPLICATION_PREFIX + replica);
                    name.execute();
                }
                while (running) {
                    if (!leader) {
                        if (tryLock(c)) {
                            become(true);
                        }
                    } else {
                        prove(c);
                    }
                    firstAttempt.countDown();
                    sleep(RETRY.toMillis());
                }
                if (leader) {
                    release(c);
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debug("leadership of {}: connection failed: {}", task, e.getMessage());
                }
            } finally {
                current = null;
                if (leader) {
                    LOG.warn("replica {} stepped down as leader of {}: its lock connection failed", replica, task);
                    become(false);
                }
                firstAttempt.countDown();
            }
            if (running) {
                sleep(RETRY.toMillis());
            }
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, lockKey);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The session still exists and still holds the lock (a restarted server would have neither). */
    private void prove(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT count(*) FROM pg_locks
                 WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                   AND classid = ?::oid AND objid = ?::oid AND objsubid = 2
                """)) {
            st.setLong(1, Integer.toUnsignedLong(LOCK_CLASS));
            st.setLong(2, Integer.toUnsignedLong(lockKey));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || rs.getLong(1) == 0) {
                    throw new SQLException("the leadership lock is no longer held");
                }
            }
        }
    }

    /**
     * Gives the lock back in a round trip before the connection closes: closing alone releases it only when the server
     * process has noticed, a moment after the socket is gone, and a successor asking at once would still see us.
     */
    private void release(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, lockKey);
            st.execute();
        }
        become(false);
    }

    private void become(boolean leading) {
        leader = leading;
        if (leading) {
            LOG.info("replica {} is now the leader of {}", replica, task);
        }
        try {
            onChange.accept(leading);
        } catch (RuntimeException e) {
            LOG.error("leadership callback of {} failed", task, e);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // only close() interrupts this thread; the flag is not kept, so the lock's release can still be sent
            running = false;
        }
    }

    /**
     * Steps down and stops competing. When the database answers, the lock is released before this returns, so
     * {@link #leader(Connection, String)} no longer names this replica; when it does not within {@link #PROOF_TIMEOUT}
     * (the bound on every statement of the lock connection), the connection is aborted and the server releases the
     * lock once it notices the session is gone.
     */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(PROOF_TIMEOUT.toMillis() + 500);
            if (thread.isAlive()) {
                Connection c = current;
                if (c != null) {
                    try {
                        // abort, not close, as in ChangeListener: close waits for the driver's lock, held by the stuck read
                        c.abort(Runnable::run);
                    } catch (SQLException | RuntimeException e) {
                        LOG.debug("aborting the leadership connection: {}", e.getMessage());
                    }
                }
                thread.join(3_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

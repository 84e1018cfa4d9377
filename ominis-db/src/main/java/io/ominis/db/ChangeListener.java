package io.ominis.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the {@code ominis_changes} notifications that the schema's triggers send on every committed write to
 * {@code extensions}, {@code acl_entries}, {@code ivrs} and {@code ivr_menus} (or for another channel's, such as
 * {@link ChannelMirror#CHANNEL}), on a dedicated connection of its own.
 *
 * <p>While the connection is down, changes cannot be seen; so after every (re)connection, and before any
 * notification of that connection is delivered, {@code onResync} runs: a cache must then drop everything it holds.
 * It does not run when the connection drops, so that a cache may keep answering while the database is away.
 *
 * <p>A connection can also stop answering without closing (a NAT or firewall forgetting it, a frozen server). So the
 * listener proves its connection every {@link #HEARTBEAT} with a {@code SELECT 1} that must answer within
 * {@link #HEARTBEAT_TIMEOUT} (a socket read timeout on the connection); one that does not is closed and replaced,
 * which resyncs. Its health is what it last proved: {@link #healthy()} holds only while the last successful
 * heartbeat is younger than {@link #STALE_AFTER}, whatever the socket seems to say.
 */
public final class ChangeListener implements AutoCloseable {

    /** The notification channel the triggers use. */
    public static final String CHANNEL = "ominis_changes";

    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
    /** How often the connection is proved with a round trip. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);

    /** Longest any read on the listening connection may block, the heartbeat's included. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);

    /** Age of the last proof after which the listener no longer counts as healthy. */
    public static final Duration STALE_AFTER = HEARTBEAT.multipliedBy(2).plusMillis(500);

    private static final int POLL_MILLIS = 500;

    /**
     * One committed change.
     *
     * @param table the table written to
     * @param key   the key of the row ({@code number}, {@code list_name}, {@code name}…), or {@code *} for the whole
     *              table (after TRUNCATE)
     */
    public record Change(String table, String key) {
        /** Whether every row of the table may have changed. */
        public boolean wholeTable() {
            return "*".equals(key);
        }

        static Change parse(String payload) {
            int colon = payload.indexOf(':');
            return colon < 0 ? new Change(payload, "*") : new Change(payload.substring(0, colon), payload.substring(colon + 1));
        }
    }

    /** Opens a new connection that the listener keeps to itself. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource source;
    private final String channel;
    private final Consumer<Change> onChange;
    private final Runnable onResync;
    private final Thread thread;
    private final CountDownLatch firstConnect = new CountDownLatch(1);
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile Connection current;
    /** {@link System#nanoTime()} of the last successful heartbeat (or LISTEN); meaningful while connected. */
    private volatile long lastProofNanos;
    private volatile Instant lastProof;

    private ChangeListener(ConnectionSource source, String channel, Consumer<Change> onChange, Runnable onResync) {
        this.source = source;
        this.channel = channel;
        this.onChange = onChange;
        this.onResync = onResync;
        this.thread = new Thread(this::run, CHANNEL.equals(channel) ? "ominis-change-listener" : "ominis-listener-"
                + channel);
        this.thread.setDaemon(true);
    }

    /** Starts listening to {@link #CHANNEL} in a background thread of its own. */
    public static ChangeListener start(ConnectionSource source, Consumer<Change> onChange, Runnable onResync) {
        return start(source, CHANNEL, onChange, onResync);
    }

    /**
     * Starts listening to notification channel {@code channel} (a plain identifier, such as {@code ominis_channels})
     * in a background thread of its own.
     */
    public static ChangeListener start(ConnectionSource source, String channel, Consumer<Change> onChange,
            Runnable onResync) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain notification channel name: " + channel);
        }
        ChangeListener listener = new ChangeListener(Objects.requireNonNull(source, "source"), channel,
                Objects.requireNonNull(onChange, "onChange"), Objects.requireNonNull(onResync, "onResync"));
        listener.thread.start();
        return listener;
    }

    /** Waits until the first LISTEN is in place; returns whether it happened within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && connected;
    }

    /** Whether the listener holds a connection it has not yet seen fail (it may still be half-open). */
    public boolean connected() {
        return connected;
    }

    /**
     * Whether the listener proved its connection within {@link #STALE_AFTER}: notifications reach it now, and a
     * cache that relies on them is current.
     */
    public boolean healthy() {
        return connected && System.nanoTime() - lastProofNanos < STALE_AFTER.toNanos();
    }

    /** When the connection last answered a heartbeat (or the LISTEN), or null before the first. */
    public Instant lastHeartbeat() {
        return lastProof;
    }

    /** How many notifications have been delivered. */
    public long notifications() {
        return notifications.get();
    }

    /** How many times a LISTEN connection was established (the first time included). */
    public long connects() {
        return connects.get();
    }

    /** Closes the listening connection as if it had failed; the listener resyncs on reconnect. For tests and ops. */
    public void dropConnection() {
        Connection c = current;
        if (c != null) {
            try {
                // abort, not close: close waits for the driver's connection lock, which the listener thread holds for
                // as long as it is inside a read (seen lasting minutes: pgjdbc's notification wait can end up reading
                // without a socket timeout); abort closes the socket under it, and the thread's read fails at once.
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("aborting the listener connection: {}", e.getMessage());
            }
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            try (Connection c = source.open()) {
                current = c;
                bounded(c, "LISTEN " + channel);
                PGConnection pg = c.unwrap(PGConnection.class);
                proved();
                connected = true;
                // Whatever changed while nobody listened is unknown: resync before the first notification, and
                // before connects() says so, so that whoever sees the new count also sees the resync done.
                onResync.run();
                connects.incrementAndGet();
                firstConnect.countDown();
                backoffMillis = 100;
                long lastBeat = System.nanoTime();
                while (running) {
                    PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            notifications.incrementAndGet();
                            deliver(Change.parse(n.getParameter()));
                        }
                    }
                    if (System.nanoTime() - lastBeat > HEARTBEAT.toNanos()) {
                        // a dead peer is noticed only when we write and wait for the answer; a cheap query does
                        bounded(c, "SELECT 1");
                        proved();
                        lastBeat = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    if (connected) {
                        LOG.warn("change listener lost its connection ({}); reconnecting", e.getMessage());
                    } else {
                        LOG.debug("change listener cannot connect: {}", e.getMessage());
                    }
                }
            } finally {
                connected = false;
                current = null;
            }
            if (running) {
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /**
     * Runs {@code sql} with a socket read timeout of {@link #HEARTBEAT_TIMEOUT}, then puts the connection's own timeout
     * back (pgjdbc's timed wait for notifications manages the socket timeout itself and must find it as it was).
     */
    private static void bounded(Connection c, String sql) throws SQLException {
        int before = c.getNetworkTimeout();
        c.setNetworkTimeout(Runnable::run, (int) HEARTBEAT_TIMEOUT.toMillis());
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } finally {
            c.setNetworkTimeout(Runnable::run, before);
        }
    }

    private void proved() {
        lastProofNanos = System.nanoTime();
        lastProof = Instant.now();
    }

    private void deliver(Change change) {
        try {
            onChange.accept(change);
        } catch (RuntimeException e) {
            LOG.error("change handler failed for {}", change, e);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        dropConnection();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ominis.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * {@code extensions}, {@code acl_entries}, {@code ivrs} and {@code ivr_menus}, on a dedicated connection of its own.
 *
 * <p>While the connection is down, changes cannot be seen; so after every (re)connection, and before any
 * notification of that connection is delivered, {@code onResync} runs: a cache must then drop everything it holds.
 * It does not run when the connection drops, so that a cache may keep answering while the database is away.
 */
public final class ChangeListener implements AutoCloseable {

    /** The notification channel the triggers use. */
    public static final String CHANNEL = "ominis_changes";

    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

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
    private final Consumer<Change> onChange;
    private final Runnable onResync;
    private final Thread thread;
    private final CountDownLatch firstConnect = new CountDownLatch(1);
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile Connection current;

    private ChangeListener(ConnectionSource source, Consumer<Change> onChange, Runnable onResync) {
        this.source = source;
        this.onChange = onChange;
        this.onResync = onResync;
        this.thread = new Thread(this::run, "ominis-change-listener");
        this.thread.setDaemon(true);
    }

    /** Starts listening in a background thread of its own. */
    public static ChangeListener start(ConnectionSource source, Consumer<Change> onChange, Runnable onResync) {
        ChangeListener listener = new ChangeListener(Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(onChange, "onChange"), Objects.requireNonNull(onResync, "onResync"));
        listener.thread.start();
        return listener;
    }

    /** Waits until the first LISTEN is in place; returns whether it happened within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && connected;
    }

    /** Whether the listening connection is up right now. */
    public boolean connected() {
        return connected;
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
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the listener connection: {}", e.getMessage());
            }
        }
    }

    private void run() {
        long backoffMillis = 100;
        while (running) {
            try (Connection c = source.open()) {
                current = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connected = true;
                // Whatever changed while nobody listened is unknown: resync before the first notification, and
                // before connects() says so, so that whoever sees the new count also sees the resync done.
                onResync.run();
                connects.incrementAndGet();
                firstConnect.countDown();
                backoffMillis = 100;
                long lastBeat = System.nanoTime();
                while (running) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            notifications.incrementAndGet();
                            deliver(Change.parse(n.getParameter()));
                        }
                    }
                    if (System.nanoTime() - lastBeat > HEARTBEAT.toNanos()) {
                        // a dead peer is noticed only when we write; a cheap query makes that happen
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT 1");
                        }
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

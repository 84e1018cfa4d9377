package io.ominis.xmlrpc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Coalesces requests to reload ACLs: every request made within one window is served by a single {@code reloadacl} per
 * node, and requests made while a reload runs get exactly one more reload after it. An ACL change written to the
 * database therefore reaches every node without one reload per changed row. Owns a scheduler thread;
 * {@link #close()} stops it.
 */
public final class AclReloader implements AutoCloseable {

    private final Supplier<List<NodeResult<Void>>> reload;
    private final ReloadCoordination coordination;
    private final Duration window;
    private final ScheduledExecutorService scheduler;

    private CompletableFuture<List<NodeResult<Void>>> pending;
    /** The latest ticket among the pending requests. */
    private long pendingTicket;
    private boolean running;
    private boolean closed;

    /** Reloads every node of {@code cluster} at most once per {@code window} (typically 500 ms to 1 s). */
    public AclReloader(FreeSwitchCluster cluster, Duration window) {
        this(Objects.requireNonNull(cluster, "cluster")::reloadAcl, window);
    }

    /** Coalesces calls of any cluster-wide reload; {@code reload} must not throw for one node's failure. */
    public AclReloader(Supplier<List<NodeResult<Void>>> reload, Duration window) {
        this(reload, window, ReloadCoordination.LOCAL);
    }

    /**
     * Coalesces here and, through {@code coordination}, with the other replicas: a window's reload runs only if no
     * reload started elsewhere since its last request (see {@link ReloadCoordination}).
     */
    public AclReloader(Supplier<List<NodeResult<Void>>> reload, Duration window, ReloadCoordination coordination) {
        this.reload = Objects.requireNonNull(reload, "reload");
        this.coordination = Objects.requireNonNull(coordination, "coordination");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("window must be between 0 and 1 min, got " + window);
        }
        this.window = window;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ominis-acl-reloader");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Asks for a reload of every node.
     *
     * @return completes with the per-node results of the reload that covers this request
     */
    public CompletableFuture<List<NodeResult<Void>>> request() {
        // taken before the lock: it may ask the database, and only ever grows
        long ticket = coordination.ticket();
        return request(ticket);
    }

    private synchronized CompletableFuture<List<NodeResult<Void>>> request(long ticket) {
        if (closed) {
            throw new IllegalStateException("AclReloader is closed");
        }
        pendingTicket = Math.max(pendingTicket, ticket);
        if (pending == null) {
            pending = new CompletableFuture<>();
            if (!running) {
                schedule();
            }
            // While running, the end of the current run schedules the next one.
        }
        return pending;
    }

    private void schedule() {
        scheduler.schedule(this::run, window.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        CompletableFuture<List<NodeResult<Void>>> served;
        long ticket;
        synchronized (this) {
            served = pending;
            if (served == null) {
                return; // closed between scheduling and running
            }
            pending = null;
            ticket = pendingTicket;
            pendingTicket = 0;
            running = true;
        }
        try {
            served.complete(coordination.covering(ticket, reload));
        } catch (RuntimeException e) {
            served.completeExceptionally(e);
        } finally {
            synchronized (this) {
                running = false;
                if (pending != null && !closed) {
                    schedule();
                }
            }
        }
    }

    /** Stops the scheduler; a request not yet served completes with a {@link CancellationException}. */
    @Override
    public void close() {
        CompletableFuture<List<NodeResult<Void>>> abandoned;
        synchronized (this) {
            closed = true;
            abandoned = pending;
            pending = null;
        }
        scheduler.shutdownNow();
        if (abandoned != null) {
            abandoned.cancel(false);
        }
    }
}

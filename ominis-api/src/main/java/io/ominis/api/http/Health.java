package io.ominis.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.Operation;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import io.javalin.http.Context;
import io.ominis.db.ChangeListener;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database answers within a second and its
 * schema is migrated). Readiness is what a load balancer or Kubernetes should route on.
 */
public final class Health {

    private static final Duration PING_BOUND = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final BooleanSupplier migrated;
    private final ChangeListener listener;
    private final Executor executor;
    private final ObjectMapper mapper;

    private final java.util.function.Supplier<java.util.List<io.ominis.xmlrpc.NodeHealth>> nodes;
    private java.util.function.Predicate<Context> showDetails = ctx -> true;
    private java.util.function.Supplier<io.ominis.db.ReplicaReads.State> readReplica;

    /**
     * @param nodes health of the FreeSWITCH nodes, shown for information: a node that does not answer makes agent and
     *              ACL commands fail, not the server unready (reads and mod_xml_curl keep working)
     */
    public Health(DataSource dataSource, BooleanSupplier migrated, ChangeListener listener, Executor executor,
            ObjectMapper mapper, java.util.function.Supplier<java.util.List<io.ominis.xmlrpc.NodeHealth>> nodes) {
        this.nodes = nodes;
        this.dataSource = dataSource;
        this.migrated = migrated;
        this.listener = listener;
        this.executor = executor;
        this.mapper = mapper;
    }

    /**
     * Who sees the details of {@code /health/ready} (the FreeSWITCH nodes with their errors, the listener's last
     * heartbeat); everyone else gets the status and the UP/DOWN checks only. Everyone, unless set.
     */
    public Health showDetailsTo(java.util.function.Predicate<Context> who) {
        this.showDetails = java.util.Objects.requireNonNull(who, "who");
        return this;
    }

    /**
     * Reports where reads go ({@code checks.readReplica}: {@code off}, {@code UP} while reads use the replica,
     * {@code BYPASSED} while they go to the primary) and, in the details, the replica's lag and why it is bypassed.
     * Informative only: reads fall back to the primary, so a lagging or lost replica does not make the server unready.
     */
    public Health readReplica(java.util.function.Supplier<io.ominis.db.ReplicaReads.State> state) {
        this.readReplica = java.util.Objects.requireNonNull(state, "state");
        return this;
    }

    /**
     * The JSON answer of both endpoints: {@code /health/live} has the status only; {@code /health/ready} the checks,
     * and, for those allowed the details, each FreeSWITCH node's.
     */
    @NullMarked
    public record HealthView(String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) java.util.@Nullable Map<String, @Nullable String> checks,
            @JsonInclude(JsonInclude.Include.NON_NULL) java.util.@Nullable Map<String, SwitchHealth> freeswitch,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ReplicaHealth readReplica) {
    }

    /** Where reads go, as {@code /health/ready} shows it to those allowed the details when a read DSN is set. */
    @NullMarked
    public record ReplicaHealth(String target, @Nullable String reason, @Nullable Long lagMs,
            @Nullable String lastProbe, @Nullable String lastError) {
    }

    /** One FreeSWITCH node as {@code /health/ready} shows it to those allowed the details. */
    @NullMarked
    public record SwitchHealth(String status, @Nullable String lastSuccess,
            @Nullable String lastError, @Nullable String lastErrorAt, int consecutiveFailures) {
    }

    public void register(ApiRouter router) {
        router.add(Operation.json(HandlerType.GET, "/health/live", "health", "The process answers", HealthView.class),
                ctx -> json(ctx, mapper.createObjectNode().put("status", "UP")));
        router.add(Operation.json(HandlerType.GET, "/health/ready", "health",
                "Ready: the database answers within a second and its schema is migrated (503 otherwise)",
                HealthView.class).answers(503, HealthView.class, "not ready: the checks say which part is down")
                .errors(503), this::ready);
    }

    /** Whether the database answers within the bound. */
    public boolean databaseUp() {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return c.isValid((int) PING_BOUND.toSeconds());
                } catch (java.sql.SQLException e) {
                    return false;
                }
            }, executor).get(PING_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private void ready(Context ctx) {
        boolean db = databaseUp();
        boolean schema = migrated.getAsBoolean();
        boolean ready = db && schema;
        ObjectNode body = mapper.createObjectNode();
        body.put("status", ready ? "UP" : "DOWN");
        ObjectNode checks = body.putObject("checks");
        checks.put("database", db ? "UP" : "DOWN");
        checks.put("migrations", schema ? "current" : "pending");
        // informative only: the directory cache is flushed on reconnect, so answers become correct again; UP only
        // while the listener's last heartbeat is recent, not merely while its socket is open
        checks.put("changeListener", listener == null ? "off" : listener.healthy() ? "UP" : "DOWN");
        io.ominis.db.ReplicaReads.State reads = readReplica == null ? null : readReplica.get();
        checks.put("readReplica", reads == null || !reads.configured() ? "off"
                : reads.target() == io.ominis.db.ReplicaReads.Target.REPLICA ? "UP" : "BYPASSED");
        if (!showDetails.test(ctx)) {
            json(ctx.status(ready ? 200 : 503), body);
            return;
        }
        if (listener != null) {
            checks.put("changeListenerLastHeartbeat",
                    listener.lastHeartbeat() == null ? null : listener.lastHeartbeat().toString());
        }
        if (reads != null && reads.configured()) {
            ObjectNode replica = body.putObject("read_replica");
            replica.put("target", reads.target().label());
            replica.put("reason", reads.reason());
            if (reads.lag() == null) {
                replica.putNull("lag_ms");
            } else {
                replica.put("lag_ms", reads.lag().toMillis());
            }
            replica.put("last_probe", reads.lastProbe() == null ? null : reads.lastProbe().toString());
            replica.put("last_error", reads.lastError());
        }
        java.util.List<io.ominis.xmlrpc.NodeHealth> fs = nodes.get();
        if (!fs.isEmpty()) {
            ObjectNode freeswitch = body.putObject("freeswitch");
            for (io.ominis.xmlrpc.NodeHealth n : fs) {
                ObjectNode node = freeswitch.putObject(n.node());
                node.put("status", n.healthy() ? "UP" : "DOWN");
                node.put("last_success", n.lastSuccess() == null ? null : n.lastSuccess().toString());
                node.put("last_error", n.lastError());
                node.put("last_error_at", n.lastErrorAt() == null ? null : n.lastErrorAt().toString());
                node.put("consecutive_failures", n.consecutiveFailures());
            }
        }
        json(ctx.status(ready ? 200 : 503), body);
    }

    /** Written with the API's own mapper, not the app's: an embedding app may have configured another. */
    private void json(io.javalin.http.Context ctx, ObjectNode body) {
        try {
            ctx.contentType("application/json").result(mapper.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a health body", e);
        }
    }
}

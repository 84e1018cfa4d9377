package io.ominis.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ominis.db.ChangeListener;
import io.ominis.db.QueryObserver;
import io.ominis.directory.DirectoryService;
import io.ominis.xmlrpc.NodeHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The server's metrics in Prometheus text format at {@code /metrics}: HTTP requests by route and status, every DAO
 * query by name (the spec's "query performance"), the HikariCP pool, the JVM, the directory cache and its change
 * listener, and FreeSWITCH XML-RPC calls by node and outcome. Names follow Prometheus conventions (snake_case, base
 * units, {@code _total} for counters).
 */
public final class ServerMetrics implements QueryObserver {

    /** The media type Prometheus scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Timers by a key of their tags; routes and DAO methods are fixed sets, so this stays small. */
    private final java.util.concurrent.ConcurrentMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Object> keepAlive = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How often database-derived figures are collected. */
    public static final java.time.Duration COLLECT_EVERY = java.time.Duration.ofSeconds(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerMetrics.class);
    private final java.util.concurrent.ScheduledExecutorService collector =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ominis-metrics");
                t.setDaemon(true);
                return t;
            });

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry, for embedding applications that add their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** HikariCP's own pool metrics ({@code hikaricp_connections_*}), when the data source is a Hikari pool. */
    public void bindPool(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getMetricsTrackerFactory() == null
                && hikari.getMetricRegistry() == null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /** Directory cache hits, misses, invalidations, size, and the change listener's state. */
    public void bindDirectory(DirectoryService directory, ChangeListener listener) {
        FunctionCounter.builder("ominis.directory.cache.hits", directory, DirectoryService::hits)
                .description("directory lookups answered from memory").register(registry);
        FunctionCounter.builder("ominis.directory.cache.misses", directory, DirectoryService::misses)
                .description("directory lookups that queried the database").register(registry);
        FunctionCounter.builder("ominis.directory.cache.invalidations", directory, DirectoryService::invalidations)
                .description("cache entries dropped by change notifications or resyncs").register(registry);
        Gauge.builder("ominis.directory.cache.size", directory, DirectoryService::size)
                .description("users cached").register(registry);
        if (listener != null) {
            FunctionCounter.builder("ominis.change.listener.reconnects", listener,
                            l -> Math.max(0, l.connects() - 1))
                    .description("times the LISTEN connection was re-established").register(registry);
            FunctionCounter.builder("ominis.change.listener.notifications", listener, ChangeListener::notifications)
                    .description("change notifications received").register(registry);
            Gauge.builder("ominis.change.listener.connected", listener, l -> l.healthy() ? 1 : 0)
                    .description("1 while the LISTEN connection is up").register(registry);
        }
    }

    /**
     * Where reads went ({@code ominis_db_reads_total{target="replica|primary"}}), reads that failed on the replica
     * and were answered from the primary, and with a read DSN the replica's replay lag and whether reads use it.
     */
    public void bindReads(io.ominis.db.ReplicaReads reads) {
        for (io.ominis.db.ReplicaReads.Target target : io.ominis.db.ReplicaReads.Target.values()) {
            FunctionCounter.builder("ominis.db.reads", reads, r -> r.reads(target)).tag("target", target.label())
                    .description("reads of live state, CDRs and statistics, by the server that answered")
                    .register(registry);
        }
        FunctionCounter.builder("ominis.db.replica.fallbacks", reads, io.ominis.db.ReplicaReads::fallbacks)
                .description("reads that failed on the read replica and were answered from the primary")
                .register(registry);
        if (reads.configured()) {
            Gauge.builder("ominis.db.replica.lag", reads, io.ominis.db.ReplicaReads::lagSeconds).baseUnit("seconds")
                    .description("replay lag of the read replica at the last probe (NaN before the first)")
                    .register(registry);
            Gauge.builder("ominis.db.replica.in.use", reads,
                            r -> r.state().target() == io.ominis.db.ReplicaReads.Target.REPLICA ? 1 : 0)
                    .description("1 while reads go to the read replica, 0 while they go to the primary")
                    .register(registry);
        }
    }

    /** Per bulkhead: requests refused with 503 and requests waiting for a worker. */
    public void bindBulkheads(io.ominis.server.http.Bulkheads bulkheads) {
        for (String name : bulkheads.names()) {
            FunctionCounter.builder("ominis.http.bulkhead.refused", bulkheads, b -> b.refused(name))
                    .tag("bulkhead", name)
                    .description("requests refused with 503 because every worker was busy and the queue full, or "
                            + "they waited too long").register(registry);
            Gauge.builder("ominis.http.bulkhead.waiting", bulkheads, b -> b.waiting(name)).tag("bulkhead", name)
                    .description("requests waiting for a worker").register(registry);
        }
    }

    /** XML-RPC calls by node and outcome, and whether each node answers. */
    public void bindFreeSwitch(Supplier<List<NodeHealth>> health) {
        for (NodeHealth node : health.get()) {
            String name = node.node();
            // the meters hold the only reference to this supplier: they must hold it strongly
            Supplier<NodeHealth> current = () -> health.get().stream().filter(h -> h.node().equals(name))
                    .findFirst().orElse(node);
            // meters keep only weak references to their state; this one would otherwise be collected at once
            keepAlive.add(current);
            FunctionCounter.builder("ominis.xmlrpc.calls", current, s -> s.get().answers())
                    .tag("node", name).tag("outcome", "answered")
                    .description("XML-RPC calls by node and outcome").register(registry);
            FunctionCounter.builder("ominis.xmlrpc.calls", current, s -> s.get().failures())
                    .tag("node", name).tag("outcome", "transport_error")
                    .description("XML-RPC calls by node and outcome").register(registry);
            Gauge.builder("ominis.freeswitch.node.up", current, s -> s.get().healthy() ? 1 : 0)
                    .tag("node", name).description("1 when the node's last call reached it").register(registry);
        }
    }

    /**
     * TTS prompt cache hits, misses, bytes and upstream calls. {@code source} reads the database (entries and bytes),
     * so it is never called by a scrape: a background thread collects it every {@link #COLLECT_EVERY} and the meters
     * show the last collection ({@code ominis_metrics_collected_age_seconds} says how old), so {@code /metrics}
     * answers from memory while the database is slow or away.
     */
    public void bindPrompts(Supplier<io.ominis.tts.CacheStats> source) {
        java.util.concurrent.atomic.AtomicReference<io.ominis.tts.CacheStats> last =
                new java.util.concurrent.atomic.AtomicReference<>(new io.ominis.tts.CacheStats(0, 0, 0, 0, 0, 0, 0, 0));
        java.util.concurrent.atomic.AtomicLong collectedAt = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        collector.scheduleWithFixedDelay(() -> {
            try {
                last.set(source.get());
                collectedAt.set(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.debug("collecting the TTS cache figures failed, keeping the last ones: {}", e.getMessage());
            }
        }, 0, COLLECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        Supplier<io.ominis.tts.CacheStats> stats = last::get;
        keepAlive.add(stats);
        keepAlive.add(collectedAt);
        Gauge.builder("ominis.metrics.collected.age", collectedAt, t -> (System.nanoTime() - t.get()) / 1e9)
                .baseUnit("seconds").description("age of the database-derived figures, collected in the background")
                .register(registry);
        FunctionCounter.builder("ominis.tts.cache.hits", stats, s -> s.get().hits())
                .description("prompts served from the cache").register(registry);
        FunctionCounter.builder("ominis.tts.cache.misses", stats, s -> s.get().misses())
                .description("prompts not cached when asked for").register(registry);
        FunctionCounter.builder("ominis.tts.upstream.calls", stats, s -> s.get().upstreamCalls())
                .description("calls to the speech provider").register(registry);
        FunctionCounter.builder("ominis.tts.upstream.failures", stats, s -> s.get().upstreamFailures())
                .description("failed calls to the speech provider").register(registry);
        Gauge.builder("ominis.tts.cache.bytes", stats, s -> s.get().totalBytes()).baseUnit("bytes")
                .description("size of the cached audio").register(registry);
        Gauge.builder("ominis.tts.cache.entries", stats, s -> s.get().entries())
                .description("cached prompts").register(registry);
    }

    /** Stops the background collection. */
    public void close() {
        collector.shutdownNow();
    }

    /** Records one HTTP request; wire as Javalin's request logger. */
    public void request(Context ctx, Float millis) {
        String route = ctx.endpoints().matchedHttpEndpoint() == null ? "unmatched"
                : ctx.endpoints().matchedHttpEndpoint().path;
        String method = ctx.method().name();
        int status = ctx.statusCode();
        // every request passes here: look the timer up by a plain key instead of building a meter id each time
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("ominis.http.server.requests")
                        .description("HTTP requests by route and status")
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .register(registry))
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** A request refused before routing for its made-up method: counted under method {@code OTHER}. */
    public void refusedMethod() {
        timers.computeIfAbsent("OTHER unmatched 405", k -> Timer.builder("ominis.http.server.requests")
                        .description("HTTP requests by route and status")
                        .tag("method", "OTHER")
                        .tag("route", "unmatched")
                        .tag("status", "405")
                        .register(registry))
                .record(0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void executed(String name, Duration elapsed, boolean succeeded) {
        String outcome = succeeded ? "success" : "error";
        timers.computeIfAbsent(name + ' ' + outcome, k -> Timer.builder("ominis.db.queries")
                        .description("DAO queries by DAO method")
                        .tag("query", name)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(elapsed);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}

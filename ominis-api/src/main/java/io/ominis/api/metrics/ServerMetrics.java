package io.ominis.api.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ominis.db.ChangeListener;
import io.ominis.db.LiveFigures;
import io.ominis.db.QueryObserver;
import io.ominis.directory.DirectoryService;
import io.ominis.xmlcurl.NotFoundReason;
import io.ominis.xmlcurl.XmlDocument;
import io.ominis.xmlrpc.NodeHealth;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The server's metrics in Prometheus text format at {@code /metrics}: HTTP requests by route and status and every DAO
 * query by name as histograms (buckets chosen per family, so p95/p99 come from PromQL), mod_xml_curl answers by outcome
 * and reason, the call center's live figures (collected in the background, never on a request's path), the HikariCP
 * pool, the JVM, the directory cache and its change listener, FreeSWITCH XML-RPC calls by node and outcome, and
 * {@code ominis_build_info}. Names follow Prometheus conventions (snake_case, base units, {@code _total} for counters).
 * See the README's "Metrics and alerts" for the list.
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

    /**
     * mod_xml_curl answers come from memory in microseconds and are cut off at the lookup timeout (a second by
     * default); a bucket layout for REST would put every one of them in its first bucket.
     */
    static final Duration[] XMLCURL_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);
    /** REST requests take milliseconds (a lookup) to seconds (a bulk write, a CDR report). */
    static final Duration[] REST_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);
    /** DAO queries: sub-millisecond primary-key reads up to statement-timeout-long reports. */
    static final Duration[] QUERY_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10000);
    /** Agent statuses mod_callcenter writes; anything else is counted as {@code other} so label sets stay closed. */
    static final Set<String> AGENT_STATUSES = Set.of("Logged Out", "Available", "Available (On Demand)", "On Break");
    /** Agent states mod_callcenter writes. */
    static final Set<String> AGENT_STATES = Set.of("Idle", "Waiting", "Receiving", "In a queue call", "Reserved");
    /** Micrometer's "units" that are only the thing counted; Prometheus would append them to the name. */
    private static final Set<String> COUNT_UNITS = Set.of("threads", "classes", "buffers");
    /** The mod_xml_curl endpoints, the {@code endpoint} label of the answer counters. */
    static final List<String> XMLCURL_ENDPOINTS = List.of("directory", "acl", "configuration");

    private final Map<String, Map<NotFoundReason, Counter>> notFound = new java.util.HashMap<>();
    private final Map<String, Map<String, Counter>> answered = new java.util.HashMap<>();

    public ServerMetrics() {
        // Micrometer's process.cpu.time is in nanoseconds and would be exposed as process_cpu_time_ns_total;
        // process_cpu_usage says the same in a unit Prometheus users expect, and JVM GC/memory cover the rest
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                // loaded-now plus unloaded-total says the same as jvm_classes_loaded_count_classes_total
                .meterFilter(MeterFilter.denyNameStartsWith("jvm.classes.loaded.count"))
                // counts of things are plain numbers: jvm_threads_live, not jvm_threads_live_threads
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        String unit = id.getBaseUnit();
                        return unit != null && COUNT_UNITS.contains(unit) ? id.withBaseUnit(null) : id;
                    }
                });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("ominis.build.info", () -> 1).description("1; the labels say which build runs")
                .tags(Tags.of("version", buildVersion(), "java_version", System.getProperty("java.version", "")))
                .register(registry);
        for (String endpoint : XMLCURL_ENDPOINTS) {
            Map<NotFoundReason, Counter> byReason = new EnumMap<>(NotFoundReason.class);
            for (NotFoundReason reason : NotFoundReason.values()) {
                String outcome = reason == NotFoundReason.LOOKUP_TIMEOUT ? "timeout"
                        : reason == NotFoundReason.LOOKUP_FAILED ? "error" : "not_found";
                byReason.put(reason, answers(endpoint, outcome, reason.name().toLowerCase(Locale.ROOT)));
            }
            notFound.put(endpoint, byReason);
            answered.put(endpoint, Map.of("found", answers(endpoint, "found", "none"),
                    "denied", answers(endpoint, "denied", "none")));
        }
    }

    private Counter answers(String endpoint, String outcome, String reason) {
        return Counter.builder("ominis.xmlcurl.answers").tag("endpoint", endpoint).tag("outcome", outcome)
                .tag("reason", reason)
                .description("mod_xml_curl answers by endpoint, outcome (found, not_found, timeout, error, denied) "
                        + "and not-found reason")
                .register(registry);
    }

    /**
     * The version Maven wrote into {@code build.properties} at build time ({@code development} when absent); read from
     * a resource rather than the jar manifest, which the server's shaded jar does not keep.
     */
    public static String buildVersion() {
        try (InputStream in = ServerMetrics.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "development";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "development" : v;
        } catch (IOException e) {
            return "development";
        }
    }

    private static Duration[] millis(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1_000_000));
        }
        return out;
    }

    /**
     * Counts one mod_xml_curl answer of {@code endpoint} ({@code directory}, {@code acl}, {@code configuration}):
     * found, or not found with its reason, so a SIP scanner's stream of unknown users shows as such.
     */
    public void xmlCurlAnswered(String endpoint, XmlDocument answer) {
        Map<NotFoundReason, Counter> byReason = notFound.get(endpoint);
        if (byReason == null) {
            return;
        }
        answer.notFoundReason().map(byReason::get).orElseGet(() -> answered.get(endpoint).get("found")).increment();
    }

    /** Counts one mod_xml_curl request refused for its credentials or address. */
    public void xmlCurlDenied(String endpoint) {
        Map<String, Counter> counters = answered.get(endpoint);
        if (counters != null) {
            counters.get("denied").increment();
        }
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
        Gauge.builder("ominis.directory.cache.rendered", directory, DirectoryService::renderedBytes)
                .baseUnit("bytes").description("rendered user documents kept, counted against their budget")
                .register(registry);
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

    /** Whether the in-memory copy of {@code channels} answers the channel routes now, its size and its reads. */
    public void bindChannelMirror(io.ominis.db.ChannelMirror mirror) {
        Gauge.builder("ominis.channel.mirror.current", mirror, m -> m.current() ? 1 : 0)
                .description("1 while the channel routes answer from memory, 0 while they read the table")
                .register(registry);
        Gauge.builder("ominis.channel.mirror.channels", mirror, m -> m.snapshot().map(s -> s.size()).orElse(0))
                .description("channels held in memory (0 while not current)").register(registry);
        FunctionCounter.builder("ominis.channel.mirror.full.loads", mirror, io.ominis.db.ChannelMirror::fullLoads)
                .description("reads of the whole channels table (start, reconnects, periodic repair)")
                .register(registry);
        FunctionCounter.builder("ominis.channel.mirror.partial.loads", mirror,
                        io.ominis.db.ChannelMirror::partialLoads)
                .description("reads of the channels that notifications named").register(registry);
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
    public void bindBulkheads(io.ominis.api.http.Bulkheads bulkheads) {
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
        collectInBackground("tts", () -> last.set(source.get()));
        Supplier<io.ominis.tts.CacheStats> stats = last::get;
        keepAlive.add(stats);
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

    /**
     * Runs {@code collect} now and every {@link #COLLECT_EVERY} on the collector thread, and exposes
     * {@code ominis_metrics_collected_age_seconds{family}}: how long ago it last succeeded. A failed collection keeps
     * the last figures (the age then tells they are stale).
     */
    private void collectInBackground(String family, Runnable collect) {
        AtomicLong collectedAt = new AtomicLong(System.nanoTime());
        keepAlive.add(collectedAt);
        Gauge.builder("ominis.metrics.collected.age", collectedAt, t -> (System.nanoTime() - t.get()) / 1e9)
                .tag("family", family).baseUnit("seconds")
                .description("age of the database-derived figures, collected in the background").register(registry);
        collector.scheduleWithFixedDelay(() -> {
            try {
                collect.run();
                collectedAt.set(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.debug("collecting the {} figures failed, keeping the last ones: {}", family, e.getMessage());
            }
        }, 0, COLLECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The call center's live figures from {@code figures}, collected every {@link #COLLECT_EVERY} in the background
     * (one query per family), so a scrape never waits for the database: registrations, channels, calls, callers
     * waiting per queue, agents by status and state and per queue and status, CDR ingestion lag and CDR partitions
     * ahead.
     */
    public void bindLiveFigures(LiveFigures figures) {
        AtomicReference<LiveFigures.Counts> counts = new AtomicReference<>(new LiveFigures.Counts(0, 0, 0));
        keepAlive.add(counts);
        Gauge.builder("ominis.registrations", counts, c -> c.get().registrations())
                .description("SIP registrations in the registrations table, all switches").register(registry);
        Gauge.builder("ominis.channels", counts, c -> c.get().channels())
                .description("live call legs in the channels table, all switches").register(registry);
        Gauge.builder("ominis.calls", counts, c -> c.get().calls())
                .description("bridged calls in the calls table, all switches").register(registry);
        collectInBackground("counts", () -> counts.set(figures.counts()));

        MultiGauge waiting = MultiGauge.builder("ominis.queue.callers.waiting")
                .description("callers waiting in each queue (members in state Waiting)").register(registry);
        collectInBackground("queue_waiting", () -> waiting.register(figures.waitingPerQueue().stream()
                .map(w -> MultiGauge.Row.of(Tags.of("queue", w.queue()), w.waiting())).toList(), true));

        MultiGauge agents = MultiGauge.builder("ominis.agents")
                .description("agents by status and state").register(registry);
        collectInBackground("agents", () -> agents.register(sum(figures.agents().stream()
                .map(a -> Map.entry(Tags.of("status", closed(a.status(), AGENT_STATUSES),
                        "state", closed(a.state(), AGENT_STATES)), a.agents())).toList()), true));

        MultiGauge queueAgents = MultiGauge.builder("ominis.queue.agents")
                .description("agents with a tier in each queue, by status").register(registry);
        collectInBackground("queue_agents", () -> queueAgents.register(sum(figures.agentsPerQueue().stream()
                .map(a -> Map.entry(Tags.of("queue", a.queue(), "status", closed(a.status(), AGENT_STATUSES)),
                        a.agents())).toList()), true));

        // the lag grows between collections as it would in the database: kept as (lag, when measured)
        AtomicReference<double[]> lag = new AtomicReference<>(new double[] {Double.NaN, System.nanoTime()});
        keepAlive.add(lag);
        Gauge.builder("ominis.cdr.ingestion.lag", lag, l -> l.get()[0] + (System.nanoTime() - l.get()[1]) / 1e9)
                .baseUnit("seconds").description("time since the newest CDR's end_stamp (NaN while there is none)")
                .register(registry);
        collectInBackground("cdr_lag", () -> lag.set(new double[] {
                figures.cdrLag().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN), System.nanoTime()}));

        AtomicLong ahead = new AtomicLong();
        keepAlive.add(ahead);
        Gauge.builder("ominis.cdr.partitions.ahead", ahead, AtomicLong::get)
                .description("monthly CDR partitions that exist after the current month").register(registry);
        collectInBackground("cdr_partitions", () -> ahead.set(figures.cdrPartitionsAhead()));
    }

    /** {@code value} when it is one of {@code known}, else {@code other} (NULL in the table: {@code none}). */
    private static String closed(String value, Set<String> known) {
        return value == null || value.isEmpty() ? "none" : known.contains(value) ? value : "other";
    }

    /** One row per label set, adding up the groups that {@link #closed} folded together. */
    private static List<MultiGauge.Row<?>> sum(List<Map.Entry<Tags, Long>> groups) {
        Map<Tags, Long> summed = new java.util.LinkedHashMap<>();
        for (Map.Entry<Tags, Long> g : groups) {
            summed.merge(g.getKey(), g.getValue(), Long::sum);
        }
        return summed.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                .toList();
    }

    /** Stops the background collection. */
    public void close() {
        collector.shutdownNow();
    }

    /** The route label of a request no route answered (no match, or refused before its route ran). */
    public static final String UNMATCHED = "unmatched";

    /** Records one HTTP request; wire as Javalin's request logger. */
    public void request(Context ctx, Float millis) {
        String route = ctx.endpoints().matchedHttpEndpoint() == null ? UNMATCHED
                : ctx.endpoints().matchedHttpEndpoint().path;
        request(ctx.method().name(), route, ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    /** Times one request answered outside Javalin, labelled as Javalin's would be: method, matched path, status. */
    public void request(String method, String route, int status, long nanos) {
        // every request passes here: look the timer up by a plain key instead of building a meter id each time
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("ominis.http.server.requests")
                        .description("HTTP requests by route and status")
                        .serviceLevelObjectives(route.contains("/freeswitch/") ? XMLCURL_BUCKETS : REST_BUCKETS)
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request refused before routing for its made-up method: counted under method {@code OTHER}. */
    public void refusedMethod() {
        request("OTHER", UNMATCHED, 405, 0);
    }

    @Override
    public void executed(String name, Duration elapsed, boolean succeeded) {
        String outcome = succeeded ? "success" : "error";
        timers.computeIfAbsent(name + ' ' + outcome, k -> Timer.builder("ominis.db.queries")
                        .description("DAO queries by DAO method")
                        .serviceLevelObjectives(QUERY_BUCKETS)
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

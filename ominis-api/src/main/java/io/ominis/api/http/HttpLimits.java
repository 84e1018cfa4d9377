package io.ominis.api.http;

import io.ominis.core.config.SettingsReader;
import java.time.Duration;
import java.util.Map;

/**
 * How many requests each bulkhead of the HTTP server runs at once and keeps waiting, and how long a request body may
 * take to arrive. FreeSWITCH's lookups, the health probes and the management API each get their own share, so that
 * no amount of traffic on one starves the others (see {@link Bulkheads}).
 *
 * @param freeswitchWorkers requests to {@code /v1/freeswitch/*} served at once ({@code OMINIS_HTTP_FREESWITCH_WORKERS})
 * @param freeswitchQueue   more of them kept waiting before refusing ({@code OMINIS_HTTP_FREESWITCH_QUEUE})
 * @param healthWorkers     {@code /health/*} and {@code /metrics} requests served at once
 *                          ({@code OMINIS_HTTP_HEALTH_WORKERS}); as many again may wait
 * @param apiWorkers        management API (every other path) requests served at once ({@code OMINIS_HTTP_API_WORKERS})
 * @param apiQueue          more of them kept waiting before refusing ({@code OMINIS_HTTP_API_QUEUE})
 * @param queueWait         longest a request waits for a worker before a 503 ({@code OMINIS_HTTP_QUEUE_WAIT_MS})
 * @param bodyTimeout       longest a request body may take to arrive in full; a slower client is disconnected
 *                          ({@code OMINIS_HTTP_BODY_TIMEOUT_MS})
 * @param selectors         Jetty's network threads ({@code OMINIS_HTTP_SELECTORS}), which also answer FreeSWITCH's
 *                          cached lookups themselves (see {@link OnWorker})
 */
public record HttpLimits(
        int freeswitchWorkers,
        int freeswitchQueue,
        int healthWorkers,
        int apiWorkers,
        int apiQueue,
        Duration queueWait,
        Duration bodyTimeout,
        int selectors) {

    /**
     * Reads the limits. The API's default scales with the database pool: every pooled connection can have an API
     * request waiting on it. FreeSWITCH's directory lookups hold no thread while they wait for the database (see
     * {@link OnWorker}), so its bulkhead only caps the requests in flight: 256 by default, or more with a large pool.
     * A cap near the pool's size suspended most lookups at 64 connections and resumed each on a worker before it went
     * to a lookup thread, a second hand-off per lookup: 0.63–0.68 of the plain-JDBC floor with the directory cache
     * off, against 0.77 with no suspension (BENCHMARKS.md).
     *
     * @throws io.ominis.core.ConfigurationException naming a setting out of range
     */
    public static HttpLimits fromEnvironment(Map<String, String> environment, int databasePoolSize) {
        SettingsReader env = new SettingsReader(environment);
        int cpus = Runtime.getRuntime().availableProcessors();
        int freeswitchWorkers = Math.max(256, databasePoolSize * 2 + cpus * 2);
        return new HttpLimits(
                env.integer("OMINIS_HTTP_FREESWITCH_WORKERS", freeswitchWorkers, 1, 1000),
                env.integer("OMINIS_HTTP_FREESWITCH_QUEUE", 1000, 0, 100_000),
                env.integer("OMINIS_HTTP_HEALTH_WORKERS", 4, 1, 100),
                env.integer("OMINIS_HTTP_API_WORKERS", Math.max(4, databasePoolSize * 2), 1, 1000),
                env.integer("OMINIS_HTTP_API_QUEUE", 50, 0, 100_000),
                env.millis("OMINIS_HTTP_QUEUE_WAIT_MS", Duration.ofSeconds(1), Duration.ofMillis(1),
                        Duration.ofSeconds(60)),
                env.millis("OMINIS_HTTP_BODY_TIMEOUT_MS", Duration.ofSeconds(10), Duration.ofMillis(100),
                        Duration.ofMinutes(10)),
                env.integer("OMINIS_HTTP_SELECTORS", defaultSelectors(cpus), 1, 256));
    }

    /**
     * One network thread per core, and at least four. They answer cached lookups themselves, so one per core keeps
     * every core busy; with fewer than four, a thread the OS preempts holds up the answers of a large share of the
     * connections at once (on two cores, two threads doubled the cached directory's p99 under load, four did not:
     * BENCHMARKS.md). Jetty's own default, half a thread per core, is for threads that only wait for the network.
     */
    static int defaultSelectors(int cpus) {
        return Math.max(4, cpus);
    }

    /** The limits with the defaults for a database pool of this size, directory answers cached. */
    public static HttpLimits defaults(int databasePoolSize) {
        return fromEnvironment(Map.of(), databasePoolSize);
    }

    /** Workers of every bulkhead together: the most requests the server runs at once. */
    public int totalWorkers() {
        return freeswitchWorkers + healthWorkers + apiWorkers;
    }
}

package io.ominis.api.http;

import io.ominis.api.rest.JsonBodies;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Separate bounded workers for the three kinds of traffic the server takes, so that trouble in one cannot starve the
 * others: FreeSWITCH's lookups ({@code /v1/freeswitch/*}), whose answers it waits for during call set-up; the health
 * probes and metrics ({@code /health/*}, {@code /metrics}), which an orchestrator restarts us over; and the
 * management API (everything else). A flood of slow API calls, a frozen database behind them, or clients sending
 * bodies a byte at a time fill only their own bulkhead; it then answers 503 with {@code Retry-After} at once instead
 * of queueing without bound.
 *
 * <p>In front of the bulkheads, bodies are read ahead without holding a thread, with a deadline
 * ({@link HttpLimits#bodyTimeout()}), so a worker is only taken once the whole request is here. Install with
 * {@link #install(Server, Handler.Wrapper, Handler.Wrapper)} (from Javalin's {@code config.jetty.modifyServer}) and
 * give Jetty {@link #threadPool()}.
 */
public final class Bulkheads {

    /** Paths FreeSWITCH asks (mod_xml_curl). */
    public static final String FREESWITCH_PATHS = "/v1/freeswitch/*";
    /** Paths of the probes and the metrics scrape. */
    public static final List<String> HEALTH_PATHS = List.of("/health/*", "/metrics");

    /**
     * Threads Jetty needs besides the workers and the selectors ({@link HttpLimits#selectors()}): the acceptor, the
     * reserved threads it keeps for reading, and the short refusals, which run on whichever thread took the request.
     */
    private static final int JETTY_OWN_THREADS = 8;

    private final HttpLimits limits;
    private final Bulkhead freeswitch;
    private final Bulkhead health;
    private final Bulkhead api;

    /** Bulkheads sized by {@code limits}. */
    public Bulkheads(HttpLimits limits) {
        this.limits = limits;
        this.freeswitch = new Bulkhead("freeswitch", limits.freeswitchWorkers(), limits.freeswitchQueue(),
                limits.queueWait());
        freeswitch.includePath(FREESWITCH_PATHS);
        this.health = new Bulkhead("health", limits.healthWorkers(), limits.healthWorkers(), limits.queueWait());
        health.includePath(HEALTH_PATHS.toArray(String[]::new));
        this.api = new Bulkhead("api", limits.apiWorkers(), limits.apiQueue(), limits.queueWait());
        api.excludePath(FREESWITCH_PATHS);
        api.excludePath(HEALTH_PATHS.toArray(String[]::new));
    }

    /**
     * Puts the read-ahead and the bulkheads in front of whatever handler Javalin attaches to {@code server} (it
     * attaches its servlet context inside the innermost wrapper it finds), with {@code freeswitchFront} right behind
     * the FreeSWITCH bulkhead and {@code apiFront} right behind the API's, each answering the requests it takes before
     * the servlet layer and passing the others on. {@code freeswitchFront} runs on the thread that read the request
     * and must never block it (see {@link OnWorker}); everything behind it runs on a worker.
     */
    public void install(Server server, Handler.Wrapper freeswitchFront, Handler.Wrapper apiFront) {
        BodyDeadline.Outer deadline = new BodyDeadline.Outer(limits.bodyTimeout(), JsonBodies.MAX_BODY_BYTES);
        // bodies up to the API's largest are held in memory; a larger announced one is refused (413) before it
        // is read, and a chunked one that grows past it is passed on for the route to refuse
        EagerContentHandler readAhead = new EagerContentHandler(
                new EagerContentHandler.RetainedContentLoaderFactory(JsonBodies.MAX_BODY_BYTES, -1, false));
        BodyDeadline.Arrived arrived = new BodyDeadline.Arrived();
        NonBlockingFront front = new NonBlockingFront();
        chain(front, deadline, readAhead, arrived, freeswitch, freeswitchFront, new OnWorker(), health, api, apiFront);
        server.setHandler(front);
    }

    /**
     * Jetty's thread pool: every worker of every bulkhead, the selectors, plus Jetty's own threads. Waiting requests
     * are suspended and hold none, so this bound is never the one that is hit.
     */
    public QueuedThreadPool threadPool() {
        int max = limits.totalWorkers() + limits.selectors() + JETTY_OWN_THREADS;
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(8, max), 60_000);
        pool.setName("ominis-http");
        return pool;
    }

    /** The bulkheads' names, as in their refusals and metrics: {@code freeswitch}, {@code health}, {@code api}. */
    public List<String> names() {
        return List.of(freeswitch.name(), health.name(), api.name());
    }

    /** Requests {@code name} refused so far (503): queue full, or waited past the queue wait. */
    public long refused(String name) {
        return bulkhead(name).refused();
    }

    /** Requests waiting for a worker of {@code name} right now. */
    public int waiting(String name) {
        return bulkhead(name).getSuspendedRequestCount();
    }

    private Bulkhead bulkhead(String name) {
        return switch (name) {
            case "freeswitch" -> freeswitch;
            case "health" -> health;
            case "api" -> api;
            default -> throw new IllegalArgumentException("no bulkhead named " + name);
        };
    }

    /**
     * Tells Jetty that the server never blocks the thread that read a request, so that Jetty runs requests there
     * rather than waking a worker for each: everything up to {@code freeswitchFront} only reads ahead, counts and
     * suspends, {@code freeswitchFront} answers from memory or hands the request on, and {@link OnWorker} puts the
     * rest (the health checks, the API, Javalin) on a worker.
     */
    private static final class NonBlockingFront extends Handler.Wrapper {
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    private static void chain(Handler.Wrapper... wrappers) {
        for (int i = 0; i + 1 < wrappers.length; i++) {
            wrappers[i].setHandler(wrappers[i + 1]);
        }
    }
}

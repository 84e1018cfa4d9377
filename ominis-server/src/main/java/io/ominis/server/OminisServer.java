package io.ominis.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.json.JavalinJackson;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.StaleWriteException;
import io.ominis.core.UnavailableException;
import io.ominis.db.ChangeListener;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.IvrDao;
import io.ominis.db.Migrations;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.ominis.core.RejectedRowsException;
import io.ominis.server.api.AdminDbRoutes;
import io.ominis.server.api.AclRoutes;
import io.ominis.server.api.ApiAuth;
import io.ominis.server.api.ApiRouter;
import io.ominis.server.api.CdrRoutes;
import io.ominis.server.api.ETags;
import io.ominis.server.api.ExtensionRoutes;
import io.ominis.server.api.IvrRoutes;
import io.ominis.server.api.JsonBodies;
import io.ominis.server.api.LiveStateRoutes;
import io.ominis.server.api.OpenApi;
import io.ominis.server.api.Operation;
import io.ominis.server.api.CallcenterWriteRoutes;
import io.ominis.server.api.QueueRoutes;
import io.ominis.server.api.SwitchControl;
import io.ominis.xmlrpc.FreeSwitchErrorException;
import io.ominis.xmlrpc.NodeHealth;
import java.util.List;
import io.ominis.xmlrpc.FreeSwitchReplyException;
import io.ominis.xmlrpc.XmlRpcAuthenticationException;
import io.ominis.xmlrpc.XmlRpcFaultException;
import io.ominis.xmlrpc.XmlRpcTransportException;
import io.ominis.server.freeswitch.FreeSwitchNodes;
import io.ominis.server.freeswitch.NodeWatch;
import io.ominis.server.metrics.StaleStateMeters;
import io.ominis.server.api.StaleStateRoutes;
import io.ominis.db.NodeSightings;
import io.ominis.db.StaleStateDao;
import io.ominis.server.http.Health;
import io.ominis.server.metrics.ServerMetrics;
import io.ominis.server.http.Problem;
import io.ominis.server.http.ClientAbort;
import io.ominis.server.http.MethodFilter;
import io.ominis.server.http.ProblemErrorHandler;
import io.ominis.server.secrets.IvrApiKeys;
import io.ominis.server.tts.PromptWarmer;
import io.ominis.server.tts.TtsRoutes;
import io.ominis.core.OminisException;
import io.ominis.tts.OpenAiSpeechProvider;
import io.ominis.tts.PromptCache;
import io.ominis.xmlcurl.IvrOptions;
import io.ominis.xmlcurl.Prompt;
import java.nio.file.Path;
import java.util.Optional;
import io.ominis.server.xmlcurl.DirectoryService;
import io.ominis.server.xmlcurl.XmlCurlAccess;
import io.ominis.server.xmlcurl.XmlCurlRoutes;
import io.ominis.xmlcurl.IvrRenderer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ominis server: the mod_xml_curl endpoints, health and the management API on one Javalin app, over a data
 * source it does not own. {@link #create} builds everything without listening, so tests can hand {@link #app()} to
 * {@code JavalinTest}; {@link #start()} listens on the configured port.
 */
public final class OminisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OminisServer.class);

    private final ServerSettings settings;
    private final Database db;
    private final ThreadPoolExecutor lookups;
    private final DirectoryService directory;
    private final ChangeListener listener;
    private final XmlCurlAccess access;
    private final Javalin app;
    private volatile boolean migrated;
    private final ApiAuth apiAuth;
    private final NodeWatch nodeWatch;
    private final ServerMetrics metrics;
    private final PromptCache prompts;
    private final PromptWarmer warmer;
    private final IvrApiKeys ivrKeys;
    private ApiRouter operations;

    private OminisServer(ServerSettings settings, DataSource dataSource, SwitchControl switchControl) {
        this.settings = settings;
        ObjectMapper mapper = JsonBodies.apiMapper();
        this.metrics = new ServerMetrics();
        this.db = Database.create(dataSource, mapper, metrics);
        metrics.bindPool(dataSource);
        this.lookups = boundedExecutor(settings.database().poolSize() * 2);
        this.directory = new DirectoryService(db.extensions(), settings.lookupTimeout(),
                settings.directoryCache() ? settings.directoryCacheSize() : 0, lookups);
        this.ivrKeys = IvrApiKeys.of(settings.secretKey());
        this.prompts = PromptCache.builder().database(db).settings(settings.tts())
                .provider(OpenAiSpeechProvider.create(settings.tts())).build();
        this.warmer = new PromptWarmer(prompts, db.ivrs(), ivrKeys);
        // one LISTEN connection serves the directory cache and the prompt warmer
        this.listener = ChangeListener.start(() -> ConnectionPool.connect(settings.database()), change -> {
            directory.onChange(change);
            warmer.onChange(change);
        }, directory::flush);
        this.migrated = Migrations.isCurrent(dataSource);
        metrics.bindDirectory(directory, listener);
        metrics.bindPrompts(prompts::stats);
        if (switchControl instanceof FreeSwitchNodes nodes) {
            metrics.bindFreeSwitch(nodes::health);
        }
        // stale-state repair judges nodes by the sightings every replica records
        NodeSightings sightings = new NodeSightings(dataSource);
        StaleStateDao staleState = new StaleStateDao(dataSource, sightings);
        StaleStateMeters staleMeters = new StaleStateMeters(metrics.registry());
        this.nodeWatch = switchControl instanceof FreeSwitchNodes watched
                ? new NodeWatch(watched.cluster(), sightings).start(settings.staleState().probeEvery()) : null;
        this.access = new XmlCurlAccess(settings);
        Problem problem = new Problem(mapper);
        java.util.function.Supplier<List<NodeHealth>> nodeHealth = switchControl instanceof FreeSwitchNodes fsNodes
                ? fsNodes::health : List::of;
        ApiAuth auth = new ApiAuth(settings.apiToken());
        // node URLs and errors are for operators: with a token set, only to its holders and to loopback callers
        Health health = new Health(dataSource, () -> migrated, listener, lookups, mapper, nodeHealth)
                .showDetailsTo(ctx -> auth.loopbackOnly() || ApiAuth.isLoopback(ctx.ip())
                        || auth.authenticated(ctx.header("Authorization")));
        IvrRenderer ivrRenderer = new IvrRenderer(IvrOptions.defaults(), settings.ivrTargets(),
                prompt -> cachedAudio(prompt));
        XmlCurlRoutes xmlCurl = new XmlCurlRoutes(settings, db, directory, access, ivrRenderer, switchControl);
        JsonBodies bodies = new JsonBodies(mapper);
        this.apiAuth = auth;
        ExtensionRoutes extensionRoutes = new ExtensionRoutes(db.extensions(), bodies, number -> {
            directory.invalidate(number);
            switchControl.extensionChanged(number);
        }, settings.sipPasswords());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.jetty.host = settings.bindHost();
            config.jetty.threadPool = httpThreads(settings.database().poolSize());
            // Jetty's header field cache rebuilt a large trie over and over under load (a quarter of all allocation
            // in a profile of the directory endpoint); FreeSWITCH sends a handful of short headers, so it buys nothing.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            config.http.maxRequestSize = JsonBodies.MAX_BODY_BYTES;
            // gzip for clients that ask, at level 1 instead of Javalin's 6: on the 48 kB list of 50 channels level 6
            // cost 0.5 ms per request, twice the rest of the request; level 1 takes a third of that for 6 kB
            // instead of 4.5 kB on the wire
            config.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new org.eclipse.jetty.ee10.servlet.FilterHolder(new MethodFilter(metrics::refusedMethod)), "/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            config.routes.before("/v1/*", apiAuth::check);
            config.requestLogger.http(metrics::request);
            ApiRouter router = new ApiRouter(config.routes);
            health.register(router);
            xmlCurl.register(router);
            extensionRoutes.register(router);
            new CallcenterWriteRoutes(switchControl, db.agents(), db.tiers(), db.queues(), bodies).register(router);
            new QueueRoutes(db.queues(), db.queueActivity(), switchControl, bodies, settings::callcenterQueues)
                    .register(router);
            new AdminDbRoutes(dataSource).register(router);
            router.add(Operation.json(HandlerType.GET, "/metrics", "meta",
                    "Prometheus metrics: HTTP, DAO queries, pool, JVM, directory cache, FreeSWITCH nodes", null)
                    .media(ServerMetrics.CONTENT_TYPE), ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE)
                    .result(metrics.scrape()));
            new LiveStateRoutes(db, bodies).register(router);
            new CdrRoutes(db.cdr(), db.cdrStatistics()).register(router);
            new IvrRoutes(db, bodies, ivrKeys, settings.ivrTargets()).register(router);
            new TtsRoutes(warmer, prompts, db.ttsCache()).register(router);
            new AclRoutes(db.acl(), bodies, switchControl, problem).register(router);
            new StaleStateRoutes(staleState, settings.staleState().staleAfter(), staleMeters, bodies).register(router);
            OpenApi openApi = new OpenApi(mapper);
            router.add(Operation.json(HandlerType.GET, "/openapi.json", "meta", "This document", null), ctx -> {
                ctx.contentType("application/json").result(mapper.writeValueAsBytes(
                        openApi.document(router.operations(), version(), router.propertySchemas())));
            });
            this.operations = router;
            config.routes.exception(RejectedRowsException.class, (e, ctx) -> {
                ObjectNode body = problem.body(400, "Invalid rows", e.getMessage(), null);
                ArrayNode errors = body.putArray("errors");
                for (RejectedRowsException.RowError r : e.errors()) {
                    errors.addObject().put("index", r.index()).put("field", r.field()).put("reason", r.reason());
                }
                problem.send(ctx, body);
            });
            config.routes.exception(FreeSwitchErrorException.class, (e, ctx) -> {
                String text = e.error().toLowerCase(java.util.Locale.ROOT);
                int status = text.contains("not found") ? 404 : text.contains("already exist") ? 409 : 400;
                problem.send(ctx, status, "FreeSWITCH refused the command", e.error(), null);
            });
            config.routes.exception(FreeSwitchReplyException.class, (e, ctx) -> problem.send(ctx, 502,
                    "FreeSWITCH failed the command", e.reply().strip(), null));
            config.routes.exception(XmlRpcTransportException.class, (e, ctx) -> problem.send(ctx,
                    e instanceof XmlRpcAuthenticationException || e instanceof XmlRpcFaultException ? 502 : 503,
                    "FreeSWITCH unreachable", e.getMessage(), null));
            config.routes.exception(HttpResponseException.class,
                    (e, ctx) -> problem.send(ctx, e.getStatus(), title(e.getStatus()), e.getMessage(), null));
            config.routes.error(404, "*", ctx -> {
                if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                    problem.send(ctx, 404, "Not found", "no route for " + ctx.method() + " " + ctx.path(), null);
                }
            });
            config.routes.exception(InvalidValueException.class,
                    (e, ctx) -> problem.send(ctx, 400, "Invalid value", e.getMessage(), e.field()));
            config.routes.exception(NotFoundException.class,
                    (e, ctx) -> problem.send(ctx, 404, "Not found", e.getMessage(), null));
            config.routes.exception(AlreadyExistsException.class,
                    (e, ctx) -> problem.send(ctx, 409, "Already exists", e.getMessage(), null));
            config.routes.exception(ConflictException.class,
                    (e, ctx) -> problem.send(ctx, 409, "Conflict", e.getMessage(), null));
            config.routes.exception(StaleWriteException.class, (e, ctx) -> {
                ctx.header("ETag", e.current());
                problem.send(ctx, 412, "Precondition failed", e.getMessage(), ETags.IF_MATCH);
            });
            config.routes.exception(UnavailableException.class,
                    (e, ctx) -> problem.send(ctx, 503, "Service unavailable", e.getMessage(), null));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (ClientAbort.causedBy(e)) {
                    // the client stopped sending its body or went away: nothing is wrong with the server
                    LOG.debug("{} {}: the client abandoned the request: {}", ctx.method(), ctx.path(), e.toString());
                    problem.send(ctx, 400, "Bad request", "the request body ended before its announced length", "body");
                    return;
                }
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                problem.send(ctx, 500, "Internal error", "the server failed; see its log", null);
            });
        });
    }

    /** Builds the server over {@code dataSource} without listening yet. */
    public static OminisServer create(ServerSettings settings, DataSource dataSource) {
        return new OminisServer(settings, dataSource, SwitchControl.NONE);
    }

    /** Builds the server over {@code dataSource}, steering FreeSWITCH through {@code switchControl}. */
    public static OminisServer create(ServerSettings settings, DataSource dataSource, SwitchControl switchControl) {
        return new OminisServer(settings, dataSource, switchControl);
    }

    /** Starts listening on the configured port. */
    public OminisServer start() {
        app.start(settings.port());
        return this;
    }

    /** The Javalin app, for tests and for adding routes when embedding. */
    public Javalin app() {
        return app;
    }

    /** The port listened on (after {@link #start()}). */
    public int port() {
        return app.port();
    }

    /** The data layer the server uses. */
    public Database database() {
        return db;
    }

    /** The prompt cache. */
    public PromptCache prompts() {
        return prompts;
    }

    /** The directory cache, for tests and metrics. */
    public DirectoryService directory() {
        return directory;
    }

    /** The change listener, or null when the cache is off. */
    public ChangeListener changeListener() {
        return listener;
    }

    /** Who may ask the FreeSWITCH-facing endpoints, in words for the start-up log. */
    public String accessDescription() {
        return access.describe() + "; " + apiAuth.describe();
    }

    /**
     * The start-up check of stored IVR OpenAI keys: one line counting those this server cannot decrypt with its
     * {@code OMINIS_SECRET_KEY} (warming their prompts answers 503 until fixed), or null when every key opens.
     */
    public String undecryptableKeysReport() {
        List<String> names = new java.util.ArrayList<>();
        IvrDao.Query query = IvrDao.Query.first(IvrDao.MAX_LIMIT);
        while (true) {
            io.ominis.core.Page<io.ominis.core.ivr.Ivr, String> page = db.ivrs().list(query);
            names.addAll(ivrKeys.unreadable(page.items()));
            if (!page.hasNext()) {
                break;
            }
            query = new IvrDao.Query(null, page.next(), IvrDao.MAX_LIMIT);
        }
        if (names.isEmpty()) {
            return null;
        }
        return names.size() + " IVR OpenAI key(s) cannot be decrypted with "
                + (settings.secretKey() == null ? "no OMINIS_SECRET_KEY set" : "this OMINIS_SECRET_KEY")
                + " (rotated key or copied rows); warming their prompts answers 503 until the key is set or stored "
                + "again: " + (names.size() > 10 ? names.subList(0, 10) + " …" : names);
    }

    /** Every documented route, as served. */
    public java.util.List<Operation> operations() {
        return operations.operations();
    }

    private static String version() {
        String v = OminisServer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    private static String title(int status) {
        return switch (status) {
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            default -> status >= 500 ? "Server error" : "Bad request";
        };
    }

    /** The metrics registry behind {@code /metrics}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Re-reads whether the schema is current, after migrations ran elsewhere. */
    public void recheckMigrations() {
        migrated = Migrations.isCurrent(db.dataSource());
    }

    /**
     * The cached WAV file for a prompt, if synthesized; otherwise FreeSWITCH speaks it with {@code say:}, so a menu
     * always works, also while the database is away.
     */
    private Optional<String> cachedAudio(Prompt prompt) {
        try {
            return prompts.lookup(prompt.text(), prompt.language(), prompt.voice(), prompt.model()).map(Path::toString);
        } catch (OminisException e) {
            LOG.debug("prompt cache lookup failed, falling back to say: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        app.stop();
        if (nodeWatch != null) {
            nodeWatch.close();
        }
        if (listener != null) {
            listener.close();
        }
        warmer.close();
        prompts.close();
        metrics.close();
        lookups.shutdownNow();
    }

    /**
     * Jetty's pool, bounded. Left unbounded (Javalin's default allows 250) it grew to about one thread per connection
     * under load, and on a small machine those threads mostly fought over the cores: throughput fell and p99 rose. The
     * bound still leaves a thread for every pooled database connection to wait on (uncached directory lookups, API
     * calls) plus room for the cached answers, which never block.
     */
    private static QueuedThreadPool httpThreads(int databasePoolSize) {
        int max = Math.max(16, databasePoolSize * 2 + Runtime.getRuntime().availableProcessors() * 2);
        QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(8, max), 60_000);
        pool.setName("ominis-http");
        return pool;
    }

    /**
     * Database lookups run here so that a request can stop waiting after its bound; the queue is bounded so that an
     * outage cannot pile up work without end (a rejected lookup is answered as unavailable).
     */
    private static ThreadPoolExecutor boundedExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "ominis-lookup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}

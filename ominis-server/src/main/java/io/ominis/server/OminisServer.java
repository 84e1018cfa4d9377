package io.ominis.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.UnavailableException;
import io.ominis.db.ChangeListener;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.Migrations;
import io.ominis.server.http.Health;
import io.ominis.server.http.Problem;
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

    private OminisServer(ServerSettings settings, DataSource dataSource) {
        this.settings = settings;
        ObjectMapper mapper = new ObjectMapper();
        this.db = Database.create(dataSource, mapper);
        this.lookups = boundedExecutor(settings.database().poolSize() * 2);
        this.directory = new DirectoryService(db.extensions(), settings.lookupTimeout(),
                settings.directoryCache() ? settings.directoryCacheSize() : 0, lookups);
        this.listener = settings.directoryCache()
                ? ChangeListener.start(() -> ConnectionPool.connect(settings.database()), directory::onChange,
                        directory::flush)
                : null;
        this.migrated = Migrations.isCurrent(dataSource);
        this.access = new XmlCurlAccess(settings);
        Problem problem = new Problem(mapper);
        Health health = new Health(dataSource, () -> migrated, listener, lookups, mapper);
        XmlCurlRoutes xmlCurl = new XmlCurlRoutes(settings, db, directory, access, new IvrRenderer());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.jetty.host = settings.bindHost();
            config.jetty.threadPool = httpThreads(settings.database().poolSize());
            // Jetty's header field cache rebuilt a large trie over and over under load (a quarter of all allocation
            // in a profile of the directory endpoint); FreeSWITCH sends a handful of short headers, so it buys nothing.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            health.register(config.routes);
            xmlCurl.register(config.routes);
            config.routes.exception(InvalidValueException.class,
                    (e, ctx) -> problem.send(ctx, 400, "Invalid value", e.getMessage(), e.field()));
            config.routes.exception(NotFoundException.class,
                    (e, ctx) -> problem.send(ctx, 404, "Not found", e.getMessage(), null));
            config.routes.exception(AlreadyExistsException.class,
                    (e, ctx) -> problem.send(ctx, 409, "Already exists", e.getMessage(), null));
            config.routes.exception(ConflictException.class,
                    (e, ctx) -> problem.send(ctx, 409, "Conflict", e.getMessage(), null));
            config.routes.exception(UnavailableException.class,
                    (e, ctx) -> problem.send(ctx, 503, "Service unavailable", e.getMessage(), null));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                problem.send(ctx, 500, "Internal error", "the server failed; see its log", null);
            });
        });
    }

    /** Builds the server over {@code dataSource} without listening yet. */
    public static OminisServer create(ServerSettings settings, DataSource dataSource) {
        return new OminisServer(settings, dataSource);
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
        return access.describe();
    }

    /** Re-reads whether the schema is current, after migrations ran elsewhere. */
    public void recheckMigrations() {
        migrated = Migrations.isCurrent(db.dataSource());
    }

    @Override
    public void close() {
        app.stop();
        if (listener != null) {
            listener.close();
        }
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

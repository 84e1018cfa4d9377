package io.ominis.api;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.json.JavalinJackson;
import io.ominis.db.ChangeListener;
import io.ominis.db.Database;
import io.ominis.directory.DirectoryService;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.rest.Operation;
import io.javalin.config.JettyConfig;
import io.ominis.api.http.Bulkheads;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import io.ominis.api.xmlcurl.XmlCurlHandler;
import io.ominis.api.http.MethodFilter;
import io.ominis.api.http.ProblemErrorHandler;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.tts.PromptCache;
import io.ominis.xmlrpc.SwitchControl;
import java.util.List;
import javax.sql.DataSource;

/**
 * The Ominis server: {@link OminisServices} served by {@link OminisApi} with every group at the root of one Javalin
 * app, over a data source it does not own. {@link #create} builds everything without listening, so tests can hand
 * {@link #app()} to {@code JavalinTest}; {@link #start()} listens on the configured port.
 */
public final class OminisServer implements AutoCloseable {

    private final ServerSettings settings;
    private final OminisServices services;
    private final Javalin app;
    private List<Operation> operations;

    private OminisServer(ServerSettings settings, DataSource dataSource, SwitchControl switchControl) {
        this.settings = settings;
        this.services = OminisServices.create(settings, dataSource, switchControl);
        ServerMetrics metrics = services.metrics();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(services.mapper(), false));
            config.jetty.host = settings.bindHost();
            // FreeSWITCH's lookups, health and the API on separate bounded workers, bodies read ahead with a deadline
            Bulkheads bulkheads = new Bulkheads(settings.http());
            config.jetty.threadPool = bulkheads.threadPool();
            metrics.bindBulkheads(bulkheads);
            // Jetty's header field cache rebuilt a large trie over and over under load (a quarter of all allocation
            // in a profile of the directory endpoint); FreeSWITCH sends a handful of short headers, so it buys nothing.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            // Javalin's connector with our count of network threads, which answer cached lookups themselves
            JettyConfig jetty = config.jetty;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, -1, settings.http().selectors(),
                        new HttpConnectionFactory(http));
                connector.setHost(jetty.host);
                connector.setPort(jetty.port);
                return connector;
            });
            config.http.maxRequestSize = JsonBodies.MAX_BODY_BYTES;
            config.http.compressionStrategy = compression();
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new org.eclipse.jetty.ee10.servlet.FilterHolder(new MethodFilter(metrics::refusedMethod)), "/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            config.requestLogger.http(metrics::request);
            // after the compression strategy, which the read routes answered ahead of Javalin compress with
            OminisApi.Mounted mounted = OminisApi.mount(config, services, "", OminisApi.allGroups(), true);
            this.operations = mounted.operations();
            // mod_xml_curl's requests and the live-state reads are answered in Jetty, ahead of the servlet layer and
            // Javalin (XmlCurlHandler, ReadRoutesHandler)
            config.jetty.modifyServer(server -> bulkheads.install(server, new XmlCurlHandler(services.xmlCurl(),
                    services.xmlCurlAccess(), metrics, ""), mounted.readsAhead()));
        });
    }

    /**
     * gzip for clients that ask, at level 1 instead of Javalin's 6: on the 48 kB list of 50 channels level 6 cost
     * 0.5 ms per request, twice the rest of the request; level 1 takes a third of that for 6 kB instead of 4.5 kB on
     * the wire. A new strategy each time: Javalin's is mutable.
     */
    static CompressionStrategy compression() {
        return new CompressionStrategy(null, new Gzip(1));
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

    /** The Javalin app, for tests. */
    public Javalin app() {
        return app;
    }

    /** The port listened on (after {@link #start()}). */
    public int port() {
        return app.port();
    }

    /** The services behind the routes. */
    public OminisServices services() {
        return services;
    }

    /** The data layer the server uses. */
    public Database database() {
        return services.database();
    }

    /** The prompt cache. */
    public PromptCache prompts() {
        return services.prompts();
    }

    /** The directory cache, for tests and metrics. */
    public DirectoryService directory() {
        return services.xmlCurl().directory();
    }

    /** The change listener. */
    public ChangeListener changeListener() {
        return services.changeListener();
    }

    /** The in-memory copy of {@code channels} behind the channel routes, or null when it is switched off. */
    public io.ominis.db.ChannelMirror channelMirror() {
        return services.channelMirror();
    }

    /** This replica's role in the cluster of servers on its database (leadership of background work). */
    public io.ominis.api.cluster.ClusterRole clusterRole() {
        return services.clusterRole();
    }

    /** Who may ask the FreeSWITCH-facing endpoints and the API, in words for the start-up log. */
    public String accessDescription() {
        return services.xmlCurlAccess().describe() + "; " + new io.ominis.api.rest.ApiAuth(settings.apiToken())
                .describe();
    }

    /** The start-up check of stored IVR OpenAI keys (see {@link io.ominis.db.secrets.IvrApiKeys#unreadableReport}). */
    public String undecryptableKeysReport() {
        return services.ivrKeys().unreadableReport(services.database().ivrs());
    }

    /** Every documented route, as served. */
    public List<Operation> operations() {
        return operations;
    }

    /** The metrics registry behind {@code /metrics}. */
    public ServerMetrics metrics() {
        return services.metrics();
    }

    /** Re-reads whether the schema is current, after migrations ran elsewhere. */
    public void recheckMigrations() {
        services.recheckMigrations();
    }

    @Override
    public void close() {
        app.stop();
        services.close();
    }
}

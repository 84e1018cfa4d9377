package io.ominis.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.ominis.api.rest.AclRoutes;
import io.ominis.api.rest.AdminDbRoutes;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.CallcenterWriteRoutes;
import io.ominis.api.rest.QueueRoutes;
import io.ominis.api.rest.StaleStateRoutes;
import io.ominis.api.rest.CdrRoutes;
import io.ominis.api.rest.ExtensionRoutes;
import io.ominis.api.rest.IvrRoutes;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.rest.LiveStateRoutes;
import io.ominis.api.rest.OpenApi;
import io.ominis.api.rest.Operation;
import io.ominis.api.http.DocsPage;
import io.ominis.api.http.Health;
import io.ominis.api.http.internal.QueryStrings;
import io.ominis.api.http.internal.ReadRoutesHandler;
import io.ominis.api.http.Problem;
import io.ominis.api.http.ProblemMapping;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.api.tts.TtsRoutes;
import io.ominis.api.xmlcurl.XmlCurlRoutes;
import io.ominis.api.rest.OverviewRoutes;
import io.ominis.api.console.ConsoleRoutes;
import io.ominis.api.rest.DomainRoutes;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.xmlrpc.NodeHealth;
import io.ominis.xmlrpc.SwitchControl;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Mounts Ominis in a Javalin app: {@link #install} adds the chosen route groups under a prefix, each answering with
 * Ominis' snake_case JSON, problem+json errors and its auth, plus {@code /openapi.json} for what was mounted. Nothing
 * app-wide is changed: the app's JSON mapper, exception handlers and other routes stay its own (Ominis' 404 document is
 * served only for paths under the prefix).
 *
 * <pre>{@code
 * OminisServices ominis = OminisServices.create(settings, dataSource, SwitchControl.NONE);
 * Javalin app = Javalin.create(config -> {
 *     config.routes.get("/", ctx -> ctx.result("my app"));
 *     OminisApi.install(config, ominis, "/ominis", EnumSet.allOf(OminisApi.Group.class));
 * });
 * }</pre>
 */
public final class OminisApi {

    /** The route groups an app may mount. */
    public enum Group {
        /** {@code /v1/freeswitch/*}: the mod_xml_curl endpoints, guarded by FreeSWITCH's credentials or networks. */
        FREESWITCH,
        /** {@code /v1/extensions}, IVRs, ACL, call center, live state, CDRs, TTS: guarded by the API token. */
        MANAGEMENT,
        /**
         * {@code /health/*}, {@code /metrics}, {@code /v1/admin/db}, {@code /v1/admin/overview},
         * {@code /openapi.json}, {@code /docs}.
         */
        OPERATIONS,
        /**
         * {@code /console/}: the operator console, static pages that read MANAGEMENT and OPERATIONS routes with the
         * API's auth (mount those too).
         */
        CONSOLE
    }

    private OminisApi() {
    }

    /**
     * Installs {@code groups} of {@code services} under {@code prefix} ({@code ""} or a path such as {@code /ominis}).
     *
     * @return the operations mounted, as {@code /openapi.json} lists them
     */
    public static List<Operation> install(JavalinConfig config, OminisServices services, String prefix,
            Set<Group> groups) {
        return mount(config, services, prefix, groups, false).operations();
    }

    /**
     * What {@link #mount} mounted: the documented operations, and the handler that answers the read routes ahead of
     * Javalin (null unless asked for).
     */
    record Mounted(List<Operation> operations, ReadRoutesHandler readsAhead) {
    }

    /**
     * {@link #install}, and with {@code readsAhead} a {@link ReadRoutesHandler} for the server to put in front of the
     * servlet layer, answering the read routes as mounted here (with the compression strategy {@code config} has now).
     */
    static Mounted mount(JavalinConfig config, OminisServices services, String prefix, Set<Group> groups,
            boolean readsAhead) {
        Objects.requireNonNull(services, "services");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or start, and not end, with '/': " + prefix);
        }
        ServerSettings settings = services.settings();
        Problem problem = new Problem(services.mapper());
        ProblemMapping errors = new ProblemMapping(problem);
        JsonBodies bodies = new JsonBodies(services.mapper());
        ApiAuth auth = new ApiAuth(settings.apiToken(), prefix);
        ReadRoutesHandler ahead = readsAhead ? new ReadRoutesHandler(auth, errors, problem, bodies, services.metrics(),
                config.http.compressionStrategy) : null;
        ApiRouter router = new ApiRouter(config.routes, prefix, errors::handle, bodies, ahead);
        SwitchControl control = services.switchControl();
        config.routes.before(prefix + "/v1/*", router.guardedBefore(auth::check));
        String freeSwitchPaths = prefix + "/v1/freeswitch/";
        config.routes.before(prefix + "/v1/*", router.guardedBefore(ctx -> {
            if (!ctx.path().startsWith(freeSwitchPaths)) {
                QueryStrings.check(ctx.queryString());
            }
        }));
        Supplier<List<NodeHealth>> nodeHealth = control instanceof FreeSwitchNodes nodes ? nodes::health : List::of;
        Health health = new Health(services.database().dataSource(), services::migrated, services.changeListener(),
                services.xmlCurl().lookupExecutor(), services.mapper(), nodeHealth);
        if (groups.contains(Group.OPERATIONS)) {
            // node URLs and errors are for operators: with a token set, only to its holders and to loopback callers
            health.showDetailsTo(ctx -> auth.loopbackOnly() || ApiAuth.isLoopback(ctx.ip())
                            || auth.authenticated(ctx.header("Authorization")))
                    .readReplica(services.reads()::state)
                    .register(router);
        }
        if (groups.contains(Group.FREESWITCH)) {
            new XmlCurlRoutes(services.xmlCurl(), services.xmlCurlAccess(), services.metrics()).register(router);
        }
        if (groups.contains(Group.MANAGEMENT)) {
            var db = services.database();
            new ExtensionRoutes(db.extensions().storing(settings.xmlCurl().passwordStorage()), bodies, number -> {
                services.xmlCurl().invalidate(number);
                control.extensionChanged(number);
            }, settings.sipPasswords()).register(router);
            new DomainRoutes(db.domains(), bodies, services.xmlCurl()::domainsChanged).register(router);
            new CallcenterWriteRoutes(control, db.agents(), db.tiers(), db.queues(), bodies).register(router);
            new QueueRoutes(db.queues(), services.reads(), control, bodies, settings.xmlCurl()::callcenterQueues)
                    .register(router);
            new LiveStateRoutes(services.reads(), services.channelMirror(), bodies, java.time.Clock.systemUTC())
                    .register(router);
            new CdrRoutes(services.reads(), bodies).register(router);
            new IvrRoutes(db, bodies, services.ivrKeys(), settings.ivrTargets()).register(router);
            new TtsRoutes(services.warmer(), services.prompts(), db.ttsCache(), bodies).register(router);
            new AclRoutes(db.acl(), bodies, control, problem).register(router);
            new StaleStateRoutes(services.staleState(), settings.staleState().staleAfter(), services.staleMeters(),
                    bodies).register(router);
        }
        if (groups.contains(Group.OPERATIONS)) {
            new AdminDbRoutes(services.database().dataSource(), bodies).register(router);
            new OverviewRoutes(services.database().dataSource(), health::databaseUp, nodeHealth,
                    services.xmlCurl().directory(), services.changeListener(), bodies).register(router);
            router.add(Operation.json(HandlerType.GET, "/metrics", "meta",
                    "Prometheus metrics: HTTP, DAO queries, pool, JVM, directory cache, FreeSWITCH nodes", null)
                    .media(ServerMetrics.CONTENT_TYPE), ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE)
                    .result(services.metrics().scrape()));
            OpenApi openApi = new OpenApi(services.mapper());
            router.add(Operation.json(HandlerType.GET, "/openapi.json", "meta", "This document", null), ctx -> ctx
                    .contentType("application/json").result(services.mapper().writeValueAsBytes(
                            openApi.document(router.operations(), ServerMetrics.buildVersion(), router.propertySchemas()))));
            new DocsPage(prefix).register(router);
        }
        if (groups.contains(Group.CONSOLE)) {
            new ConsoleRoutes(auth, bodies, prefix).register(router);
        }
        config.routes.error(404, "*", ctx -> {
            if (ctx.path().startsWith(prefix + "/") && !Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                problem.send(ctx, 404, "Not found", "no route for " + ctx.method() + " " + ctx.path(), null);
            }
        });
        return new Mounted(router.operations(), ahead);
    }

    /** Every group. */
    public static Set<Group> allGroups() {
        return EnumSet.allOf(Group.class);
    }
}

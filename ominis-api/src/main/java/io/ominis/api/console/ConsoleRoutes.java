package io.ominis.api.console;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.rest.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator console: static pages (HTML, CSS and ES modules from this package's resources, nothing built and
 * nothing fetched from elsewhere) under {@code /console/}, which read the management API with the API's own auth. The
 * pages hold no data, so they are served to anyone; {@code /console/session} tells the page whether it may call the
 * API as it is or needs the token first, without the 401 a browser would log.
 */
public final class ConsoleRoutes {

    /** The files of the console, by name, with their media types; nothing else is served. */
    static final Map<String, String> FILES = files();

    /** What {@code /console/session} answers. */
    public record ConsoleSession(boolean tokenRequired, boolean authenticated) {
    }

    // the console's own code only: no inline script or style, no other origin, not framed
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> content = new LinkedHashMap<>();
    private final ApiAuth auth;
    private final JsonBodies bodies;

    /** The console mounted under {@code prefix}, guarded as the API by {@code auth}. */
    public ConsoleRoutes(ApiAuth auth, JsonBodies bodies, String prefix) {
        if (!prefix.matches("(/[A-Za-z0-9._~-]+)*")) {
            throw new IllegalArgumentException("the console needs a prefix of plain path segments: " + prefix);
        }
        this.auth = auth;
        this.bodies = bodies;
        for (String name : FILES.keySet()) {
            byte[] bytes = read(name);
            if (name.equals("index.html")) {
                // a plain path (checked above): nothing in it needs escaping in an attribute
                bytes = new String(bytes, StandardCharsets.UTF_8).replace("{{prefix}}", prefix)
                        .getBytes(StandardCharsets.UTF_8);
            }
            content.put(name, bytes);
        }
    }

    public void register(ApiRouter router) {
        String tag = "console";
        // "/console" and "/console/" are one route (trailing slashes are ignored); the page names its files with
        // the prefix, so that it works under either
        router.add(Operation.json(GET, "/console", tag, "The operator console (HTML)", null).media("text/html"),
                ctx -> asset(ctx, "index.html"));
        router.add(Operation.json(GET, "/console/session", tag, "Whether the API needs a token and whether the "
                + "Authorization header sent (if any) is accepted; never 401", ConsoleSession.class), this::session);
        router.add(Operation.json(GET, "/console/{file}", tag, "A file of the console: "
                + String.join(", ", FILES.keySet()), null).media("text/html").errors(404),
                ctx -> asset(ctx, ctx.pathParam("file")));
    }

    private void session(Context ctx) {
        boolean required = !auth.loopbackOnly();
        boolean ok = required ? auth.authenticated(ctx.header("Authorization")) : ApiAuth.isLoopback(ctx.ip());
        ctx.header("Cache-Control", "no-store");
        bodies.send(ctx, new ConsoleSession(required, ok));
    }

    private void asset(Context ctx, String name) {
        byte[] bytes = content.get(name);
        if (bytes == null) {
            throw new NotFoundResponse("the console has no file " + name);
        }
        ctx.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .contentType(FILES.get(name))
                .result(bytes);
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("index.html", "text/html; charset=utf-8");
        files.put("console.css", "text/css; charset=utf-8");
        files.put("favicon.svg", "image/svg+xml");
        for (String module : new String[] {"console.js", "api.js", "poll.js", "charts.js", "pages.js", "dom.js"}) {
            files.put(module, "text/javascript; charset=utf-8");
        }
        return Map.copyOf(files);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

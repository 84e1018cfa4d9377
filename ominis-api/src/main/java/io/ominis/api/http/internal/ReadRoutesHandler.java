package io.ominis.api.http.internal;

import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Compressor;
import io.javalin.http.ContentType;
import io.ominis.api.http.Problem;
import io.ominis.api.http.ProblemMapping;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.rest.Params;
import io.ominis.api.rest.ReadHandler;
import io.ominis.core.InvalidValueException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the GET routes registered with {@code ApiRouter.read} (the live-state listings) in Jetty itself, before the
 * servlet layer and Javalin, exactly as their Javalin routes would: the same {@link ApiAuth} rules, the same
 * {@link ReadHandler} reading the parameters as Javalin decodes them, the same JSON writer, failures through the same
 * {@link ProblemMapping}, Javalin's own compression choice and compressor, and the request counted under the route's
 * template. A profile of {@code GET /v1/channels/{uuid}} and {@code /count} had put 28-29 % of their CPU in Javalin's
 * dispatch alone, beside the servlet layer; answered here, their p50 at one request in flight fell from 0.19-0.20 ms
 * to 0.14 ms (BENCHMARKS.md, "Channel routes against their floor").
 *
 * <p>Only what is certain to be answered alike is taken here: a GET whose raw path is a registered template with a
 * path parameter, if any, of characters no decoding changes, and no {@code Content-Type} (from which Javalin would
 * take the query string's charset). Anything else (HEAD, an encoded or trailing-slash path, other routes) goes on to
 * the next handler, where Javalin answers it.
 */
public final class ReadRoutesHandler extends Handler.Wrapper {

    /** A registered route: its template (the metrics label), its path parameter's name (or null) and its handler. */
    private record Route(String template, String param, ReadHandler handler) {
    }

    private final ApiAuth auth;
    private final ProblemMapping errors;
    private final Problem problem;
    private final JsonBodies bodies;
    private final ServerMetrics metrics;
    private final CompressionStrategy compression;
    /** Routes without a path parameter, by path. Filled while the app is configured, only read once it serves. */
    private final Map<String, Route> exact = new HashMap<>();
    /** Routes whose last segment is a path parameter, by the path before that segment (up to its slash). */
    private final Map<String, Route> parametric = new HashMap<>();

    /**
     * Answers with the mount's {@code auth}, {@code errors} (whose bodies {@code problem} writes) and {@code bodies},
     * counting in {@code metrics}, compressing as Javalin would with {@code compression} (the app's strategy).
     */
    public ReadRoutesHandler(ApiAuth auth, ProblemMapping errors, Problem problem, JsonBodies bodies,
            ServerMetrics metrics, CompressionStrategy compression) {
        this.auth = auth;
        this.errors = errors;
        this.problem = problem;
        this.bodies = bodies;
        this.metrics = metrics;
        this.compression = compression;
    }

    /**
     * Answers GETs of {@code template} (as mounted: {@code /v1/channels} or {@code /v1/channels/{uuid}}, a parameter
     * only as the last segment) with {@code handler}. Javalin answers the first route registered that matches, so a
     * fixed path after a parametric sibling (which Javalin would never reach) is refused rather than answered here.
     */
    public void add(String template, ReadHandler handler) {
        int slash = template.lastIndexOf('/');
        String last = template.substring(slash + 1);
        String parent = template.substring(0, slash + 1);
        if (last.startsWith("{") && last.endsWith("}") && parent.indexOf('{') < 0) {
            parametric.put(parent, new Route(template, last.substring(1, last.length() - 1), handler));
        } else if (template.indexOf('{') < 0 && template.indexOf('<') < 0) {
            if (parametric.containsKey(parent)) {
                throw new IllegalStateException(template + " must be registered before " + parametric.get(parent)
                        .template() + ", which Javalin would match first");
            }
            exact.put(template, new Route(template, null, handler));
        } else {
            throw new IllegalArgumentException("only a last path segment may be a parameter here: " + template);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        // the raw path, as Javalin matches it (Request.getPathInContext would be decoded)
        String path = request.getHttpURI().getPath();
        Route route = exact.get(path);
        String value = null;
        if (route == null && path != null) {
            int slash = path.lastIndexOf('/');
            value = path.substring(slash + 1);
            route = plain(value) ? parametric.get(path.substring(0, slash + 1)) : null;
        }
        if (route == null || request.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        RuntimeException refusal = auth.refusal(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                Request.getRemoteAddr(request));
        if (refusal == null) {
            refusal = malformedQuery(request);
        }
        int status = answer(route, value, refusal, request, response, callback);
        // Javalin's label for a request its before-handlers refused is "unmatched": the route never ran
        metrics.request("GET", refusal == null ? route.template() : ServerMetrics.UNMATCHED, status,
                System.nanoTime() - started);
        return true;
    }

    /** Why the API's before-handler would refuse this request's query string, or null (see {@link QueryStrings}). */
    private static RuntimeException malformedQuery(Request request) {
        try {
            QueryStrings.check(request.getHttpURI().getQuery());
            return null;
        } catch (InvalidValueException e) {
            return e;
        }
    }

    /** Answers the request for {@code route}, or with {@code refusal} when not null; returns the status sent. */
    private int answer(Route route, String value, RuntimeException refusal, Request request, Response response,
            Callback callback) {
        String contentType = ContentType.JSON;
        int status = 200;
        byte[] body;
        try {
            if (refusal != null) {
                throw refusal;
            }
            body = bodies.bytes(route.handler().handle(new RequestParams(request, route.param(), value)));
        } catch (Exception e) {
            ProblemMapping.Answer answer = errors.answer(e, "GET", request.getHttpURI().getPath());
            status = answer.status();
            contentType = Problem.CONTENT_TYPE;
            answer.headers().forEach((name, v) -> response.getHeaders().put(name, v));
            body = problem.bytes(answer.body());
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        body = compressed(request, response, body);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return status;
    }

    /**
     * {@code body} compressed when Javalin would compress it (at least the strategy's minimum size, an encoding the
     * client accepts; JSON is never among its excluded types), with the same compressor, so the bytes are the same.
     */
    private byte[] compressed(Request request, Response response, byte[] body) {
        if (body.length < compression.getDefaultMinSizeForCompression()) {
            return body;
        }
        String accepted = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
        Compressor compressor = compression.findMatchingCompressor(accepted == null ? "" : accepted);
        if (compressor == null) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4);
        try (OutputStream stream = compressor.compress(out)) {
            stream.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress an answer in memory", e);
        }
        response.getHeaders().put(HttpHeader.CONTENT_ENCODING, compressor.encoding());
        return out.toByteArray();
    }

    /** Whether a path segment is the same decoded as raw: unreserved characters and {@code @}, as uuids and names. */
    static boolean plain(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parameters of a request taken here: the query string decoded by {@link QueryStrings#parse} as Javalin decodes
     * it (UTF-8, as Javalin does without a request {@code Content-Type}), once, when a parameter is first asked for.
     */
    private static final class RequestParams implements Params {

        private final Request request;
        private final String param;
        private final String value;
        private Map<String, List<String>> query;

        RequestParams(Request request, String param, String value) {
            this.request = request;
            this.param = param;
            this.value = value;
        }

        @Override
        public String queryParam(String name) {
            if (query == null) {
                String text = request.getHttpURI().getQuery();
                query = QueryStrings.parse(text);
            }
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String pathParam(String name) {
            if (!name.equals(param)) {
                // as Javalin's ctx.pathParam for a name the route does not have: a programming error
                throw new IllegalArgumentException("'" + name + "' is not a valid path-param for this route");
            }
            return value;
        }
    }
}

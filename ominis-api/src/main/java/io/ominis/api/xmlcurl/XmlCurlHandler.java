package io.ominis.api.xmlcurl;

import io.ominis.api.http.ClientAbort;
import io.ominis.api.http.Problem;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.xmlcurl.XmlDocument;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers mod_xml_curl's GETs and POSTs of {@link XmlCurlRoutes}' three endpoints in Jetty itself, before the servlet
 * layer and Javalin, exactly as those routes would. FreeSWITCH blocks a SIP thread for the whole lookup, at the rate
 * phones register; a profile of the directory endpoint under load put a third of the server's CPU in the servlet and
 * Javalin layers around the route, twice what the route itself (lookup and answer) took. Anything else (another
 * method, a body of unknown or large length, another path) is passed on to the next handler, where the routes answer
 * it.
 */
public final class XmlCurlHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(XmlCurlHandler.class);
    /** {@link XmlDocument#CONTENT_TYPE} as the servlet layer writes it, so both ways answer the same bytes. */
    private static final String CONTENT_TYPE = "text/xml;charset=utf-8";
    /** The challenge sent with a 401. */
    static final String CHALLENGE = "Basic realm=\"ominis\"";

    private final XmlCurlAnswers answers;
    private final ServerMetrics metrics;
    /** Endpoint names by full path: the prefix the routes were mounted under, then the route's path. */
    private final Map<String, String> endpoints = new HashMap<>();

    /**
     * Answers {@code prefix}{@code /v1/freeswitch/*} ({@code prefix} as given to {@code OminisApi.install}) from
     * {@code service}, open to whom {@code access} allows, counting in {@code metrics} as the routes do.
     */
    public XmlCurlHandler(XmlCurlService service, XmlCurlAccess access, ServerMetrics metrics, String prefix) {
        this.answers = new XmlCurlAnswers(service, access, metrics);
        this.metrics = metrics;
        for (String path : XmlCurlRoutes.PATHS.keySet()) {
            endpoints.put(prefix + path, XmlCurlRoutes.endpoint(path));
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String endpoint = endpoints.get(path);
        if (endpoint == null) {
            return super.handle(request, response, callback);
        }
        String method = request.getMethod();
        boolean post = HttpMethod.POST.is(method);
        long length = request.getLength();
        if (!post && !HttpMethod.GET.is(method) || post && (length < 0 || length > XmlCurlRoutes.DIRECT_READ_LIMIT)) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        XmlCurlAnswers.Reply reply;
        try {
            reply = answers.answer(endpoint, request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    Request.getRemoteAddr(request), () -> post ? body(request) : query(request));
        } catch (UncheckedIOException e) {
            if (!ClientAbort.causedBy(e)) {
                throw e;
            }
            // the client went away before its whole form arrived: nothing is wrong with the server (as the routes say)
            LOG.debug("{} {}: the client abandoned the request: {}", method, path, e.getCause().toString());
            Problem.write(response, callback, 400, "Bad request", "the request body ended before its announced length",
                    "body");
            metrics.request(method, path, 400, System.nanoTime() - started);
            return true;
        }
        response.setStatus(reply.status());
        if (reply.challenge()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        }
        XmlDocument document = reply.document();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, document.length());
        response.write(true, document.buffer(), callback);
        // the route label Javalin gives these requests: the matched path, which is the full path here
        metrics.request(method, path, reply.status(), System.nanoTime() - started);
        return true;
    }

    private static String query(Request request) {
        String query = request.getHttpURI().getQuery();
        return query == null ? "" : query;
    }

    /**
     * The form, whole, read into one array of its announced length (at most {@link XmlCurlRoutes#DIRECT_READ_LIMIT}):
     * Jetty's own aggregation of a body allocated several times its size, almost half of all this path allocates.
     * Bodies are read ahead before a worker takes the request, so this does not wait.
     */
    private static String body(Request request) {
        Charset charset = Request.getCharset(request);
        byte[] bytes = new byte[(int) request.getLength()];
        try (InputStream in = Content.Source.asInputStream(request)) {
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read < bytes.length) {
                throw new EOFException("the body ended after " + read + " of " + bytes.length + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request from FreeSWITCH", e);
        }
        return new String(bytes, charset == null ? StandardCharsets.UTF_8 : charset);
    }
}

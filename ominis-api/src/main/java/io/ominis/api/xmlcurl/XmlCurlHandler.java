package io.ominis.api.xmlcurl;

import io.ominis.api.http.ClientAbort;
import io.ominis.api.http.OnWorker;
import io.ominis.api.http.Problem;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.xmlcurl.XmlDocument;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
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
 *
 * <p>It never blocks the thread that calls it for what it answers. An answer in memory (a cached directory user) is
 * written at once; a directory user that needs the database is written by the lookup thread that read it, so no thread
 * waits for the database; the other lookups, and a body that has not all arrived, are handed to a worker
 * ({@link OnWorker#run}). Placed in front of {@link OnWorker}, it lets Jetty answer cached lookups on the thread that
 * read them, and misses with one hand-off to a lookup thread, instead of waking a worker for each request.
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

    /** Never blocks the calling thread for what it answers; what it passes on runs as the next handler does. */
    @Override
    public InvocationType getInvocationType() {
        Handler next = getHandler();
        return next == null ? InvocationType.NON_BLOCKING : next.getInvocationType();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String endpoint = endpoints.get(path);
        String method = request.getMethod();
        boolean post = HttpMethod.POST.is(method);
        long length = request.getLength();
        if (endpoint == null || !post && !HttpMethod.GET.is(method)
                || post && (length < 0 || length > XmlCurlRoutes.DIRECT_READ_LIMIT)) {
            return super.handle(request, response, callback);
        }
        Exchange exchange = new Exchange(request, response, callback, System.nanoTime());
        byte[] body = post ? new byte[(int) length] : null;
        int read;
        try {
            read = post ? readAvailable(request, body) : 0;
        } catch (IOException e) {
            exchange.abandoned(e);
            return true;
        }
        if (post && read < body.length) {
            // the read-ahead in front has not taken the whole body (it usually has): wait for the rest on a worker
            OnWorker.run(request, response, callback, (rq, rs, cb) -> {
                try {
                    readRest(request, body, read);
                } catch (IOException e) {
                    exchange.abandoned(e);
                    return true;
                }
                exchange.answer(endpoint, body);
                return true;
            });
            return true;
        }
        exchange.answer(endpoint, body);
        return true;
    }

    /** One request taken: where its answer goes and how it is counted. */
    private final class Exchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long started;

        Exchange(Request request, Response response, Callback callback, long started) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.started = started;
        }

        /**
         * Answers the request for {@code endpoint} whose form is {@code body} (or the query, for a GET): at once from
         * memory, otherwise once the lookup completes, on the thread that completes it. Nothing here waits.
         */
        void answer(String endpoint, byte[] body) {
            CompletableFuture<XmlCurlAnswers.Reply> reply;
            try {
                reply = answers.answerAsync(endpoint, request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        Request.getRemoteAddr(request), () -> form(request, body), request.getContext());
            } catch (RejectedExecutionException e) {
                OnWorker.refuse(response, callback);
                return;
            }
            reply.whenComplete((answer, failure) -> {
                if (failure != null) {
                    callback.failed(failure);
                } else {
                    send(answer);
                }
            });
        }

        private void send(XmlCurlAnswers.Reply reply) {
            response.setStatus(reply.status());
            if (reply.challenge()) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
            }
            XmlDocument document = reply.document();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, document.length());
            response.write(true, document.buffer(), callback);
            // the route label Javalin gives these requests: the matched path, which is the full path here
            metrics.request(request.getMethod(), Request.getPathInContext(request), reply.status(),
                    System.nanoTime() - started);
        }

        /**
         * The body could not be read: a client that went away before its whole form arrived is answered 400 (as the
         * routes do), anything else fails the exchange.
         */
        void abandoned(IOException e) {
            if (!ClientAbort.causedBy(e)) {
                callback.failed(e);
                return;
            }
            LOG.debug("{} {}: the client abandoned the request: {}", request.getMethod(),
                    Request.getPathInContext(request), e.toString());
            Problem.write(response, callback, 400, "Bad request", "the request body ended before its announced length",
                    "body");
            metrics.request(request.getMethod(), Request.getPathInContext(request), 400, System.nanoTime() - started);
        }
    }

    private static String query(Request request) {
        String query = request.getHttpURI().getQuery();
        return query == null ? "" : query;
    }

    /**
     * The form as text: the query of a GET, the body of a POST (decoded in the request's charset; an unknown one
     * throws {@link IllegalArgumentException}, which {@link XmlCurlAnswers} answers as malformed).
     */
    private static String form(Request request, byte[] body) {
        if (body == null) {
            return query(request);
        }
        Charset charset = Request.getCharset(request);
        return new String(body, charset == null ? StandardCharsets.UTF_8 : charset);
    }

    /**
     * Reads what has arrived of the body into {@code body} without waiting: the body is read into one array of its
     * announced length (at most {@link XmlCurlRoutes#DIRECT_READ_LIMIT}), as Jetty's own aggregation of a body allocated
     * several times its size. The read-ahead in front has usually taken the whole body already.
     *
     * @return the bytes read, {@code body.length} when it is all here
     * @throws EOFException when the body ended before its announced length
     */
    private static int readAvailable(Request request, byte[] body) throws IOException {
        int read = 0;
        while (read < body.length) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                return read;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = Math.min(bytes.remaining(), body.length - read);
                bytes.get(body, read, n);
                read += n;
                if (chunk.isLast() && read < body.length) {
                    throw new EOFException("the body ended after " + read + " of " + body.length + " bytes");
                }
            } finally {
                chunk.release();
            }
        }
        return read;
    }

    /** Reads the rest of the body from {@code from} on, waiting for it (on a worker). */
    private static void readRest(Request request, byte[] body, int from) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            int read = from + in.readNBytes(body, from, body.length - from);
            if (read < body.length) {
                throw new EOFException("the body ended after " + read + " of " + body.length + " bytes");
            }
        }
    }
}

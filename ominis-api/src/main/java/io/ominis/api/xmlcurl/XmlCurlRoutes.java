package io.ominis.api.xmlcurl;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.Operation;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.xmlcurl.NotFoundReason;
import io.ominis.xmlcurl.XmlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints mod_xml_curl calls: {@code /v1/freeswitch/directory}, {@code /acl} and {@code /configuration}. They
 * answer GET query strings and POST forms alike, always {@code text/xml} with status 200 for a well-formed request
 * (FreeSWITCH ignores any other status and falls back to its static files), and the not-found document for anything
 * not served — never a user without a password, never a stack trace.
 */
public final class XmlCurlRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(XmlCurlRoutes.class);
    private static final String XML = "text/xml; charset=utf-8";
    /** Bodies up to this size are read directly; well below Javalin's default limit of one megabyte. */
    private static final int DIRECT_READ_LIMIT = 64 * 1024;

    private final XmlCurlService service;
    private final XmlCurlAccess access;
    private final ServerMetrics metrics;

    /** The endpoints over {@code service}, open to whom {@code access} allows, counting answers in {@code metrics}. */
    public XmlCurlRoutes(XmlCurlService service, XmlCurlAccess access, ServerMetrics metrics) {
        this.service = service;
        this.access = access;
        this.metrics = metrics;
    }

    /** Registers the three endpoints for GET and POST. */
    public void register(ApiRouter router) {
        Map<String, String> summaries = Map.of(
                "/v1/freeswitch/directory", "mod_xml_curl directory: the user document for sip_auth/user_call, else not found",
                "/v1/freeswitch/acl", "mod_xml_curl acl.conf from acl_entries",
                "/v1/freeswitch/configuration", "mod_xml_curl configuration by key_value: acl.conf, ivr.conf, callcenter.conf");
        for (String path : List.of("/v1/freeswitch/directory", "/v1/freeswitch/acl", "/v1/freeswitch/configuration")) {
            String endpoint = path.substring(path.lastIndexOf('/') + 1);
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                router.add(new Operation(method, path, "freeswitch", summaries.get(path), null, false, null, false, 200,
                        "text/xml", List.of(new Operation.Param("section", "string", "mod_xml_curl base field"),
                                new Operation.Param("key_value", "string", "mod_xml_curl base field")),
                        List.of()).answersText(401, "text/xml",
                        "wrong or missing gateway credentials: the not-found document")
                        .answersText(403, "text/xml", "a client outside the allowed networks: the not-found document"),
                        ctx -> handle(ctx, endpoint));
            }
        }
    }

    private void handle(Context ctx, String endpoint) {
        XmlCurlAccess.Verdict verdict = access.check(ctx.header("Authorization"), ctx.ip());
        if (verdict != XmlCurlAccess.Verdict.ALLOWED) {
            if (verdict == XmlCurlAccess.Verdict.BAD_CREDENTIALS) {
                ctx.header("WWW-Authenticate", "Basic realm=\"ominis\"");
                ctx.status(401);
            } else {
                ctx.status(403);
            }
            metrics.xmlCurlDenied(endpoint);
            ctx.contentType(XML).result(service.notFound(NotFoundReason.MALFORMED_REQUEST).bytes());
            return;
        }
        String form;
        try {
            form = ctx.method() == HandlerType.POST ? form(ctx) : ctx.queryString() == null ? "" : ctx.queryString();
        } catch (IllegalArgumentException e) {
            // an unknown or malformed charset (IllegalCharsetNameException, UnsupportedCharsetException): the
            // client's mistake, and FreeSWITCH must get a usable answer all the same
            LOG.debug("xml_curl request with an unusable charset answered not found: {}", e.getMessage());
            XmlDocument answer = service.notFound(NotFoundReason.MALFORMED_REQUEST);
            metrics.xmlCurlAnswered(endpoint, answer);
            ctx.status(200).contentType(XML).result(answer.bytes());
            return;
        }
        XmlDocument answer = service.answer(form);
        metrics.xmlCurlAnswered(endpoint, answer);
        ctx.status(200).contentType(XML);
        // Written straight to the response: Javalin's result() path copies through a fresh 32 KiB buffer per request,
        // which at FreeSWITCH's request rates was a third of all allocation. Compression, if any, still applies.
        try {
            answer.writeTo(ctx.outputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("could not send the answer to FreeSWITCH", e);
        }
    }

    /**
     * The POST body as text. A form of known, modest length (mod_xml_curl's always is) is read in one right-sized
     * array; anything else goes through Javalin, which also enforces its request size limit.
     */
    private static String form(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length < 0 || length > DIRECT_READ_LIMIT) {
            return ctx.body();
        }
        String encoding = ctx.characterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        try {
            return new String(ctx.req().getInputStream().readNBytes((int) length), charset);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request from FreeSWITCH", e);
        }
    }
}

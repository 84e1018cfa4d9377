package io.ominis.api.xmlcurl;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.Operation;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.xmlcurl.XmlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The endpoints mod_xml_curl calls: {@code /v1/freeswitch/directory}, {@code /acl} and {@code /configuration}. They
 * answer GET query strings and POST forms alike, always {@code text/xml} with status 200 for a well-formed request
 * (FreeSWITCH ignores any other status and falls back to its static files), and the not-found document for anything
 * not served — never a user without a password, never a stack trace. In the Ominis server, {@link XmlCurlHandler}
 * answers the same requests before they reach Javalin; these routes serve apps that mount Ominis, and document the
 * endpoints.
 */
public final class XmlCurlRoutes {

    /** The three endpoints, by path below the prefix, with what each serves. */
    static final Map<String, String> PATHS = Map.of(
            "/v1/freeswitch/directory", "mod_xml_curl directory: the user document for sip_auth/user_call, else not found",
            "/v1/freeswitch/acl", "mod_xml_curl acl.conf from acl_entries",
            "/v1/freeswitch/configuration", "mod_xml_curl configuration by key_value: acl.conf, ivr.conf, callcenter.conf");
    /** Bodies up to this size are read directly; well below Javalin's default limit of one megabyte. */
    static final int DIRECT_READ_LIMIT = 64 * 1024;

    private final XmlCurlAnswers answers;

    /** The endpoints over {@code service}, open to whom {@code access} allows, counting answers in {@code metrics}. */
    public XmlCurlRoutes(XmlCurlService service, XmlCurlAccess access, ServerMetrics metrics) {
        this.answers = new XmlCurlAnswers(service, access, metrics);
    }

    /** Registers the three endpoints for GET and POST. */
    public void register(ApiRouter router) {
        for (String path : List.of("/v1/freeswitch/directory", "/v1/freeswitch/acl", "/v1/freeswitch/configuration")) {
            String endpoint = endpoint(path);
            for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                router.add(new Operation(method, path, "freeswitch", PATHS.get(path), null, false, null, false, 200,
                        "text/xml", List.of(new Operation.Param("section", "string", "mod_xml_curl base field"),
                                new Operation.Param("key_value", "string", "mod_xml_curl base field")),
                        List.of()).answersText(401, "text/xml",
                        "wrong or missing gateway credentials: the not-found document")
                        .answersText(403, "text/xml", "a client outside the allowed networks: the not-found document"),
                        ctx -> handle(ctx, endpoint));
            }
        }
    }

    /** The endpoint's name in metrics: the last segment of its path. */
    static String endpoint(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private void handle(Context ctx, String endpoint) {
        XmlCurlAnswers.Reply reply = answers.answer(endpoint, ctx.header("Authorization"), ctx.ip(),
                () -> ctx.method() == HandlerType.POST ? form(ctx)
                        : ctx.queryString() == null ? "" : ctx.queryString());
        if (reply.challenge()) {
            ctx.header("WWW-Authenticate", XmlCurlHandler.CHALLENGE);
        }
        ctx.status(reply.status()).contentType(XmlDocument.CONTENT_TYPE);
        // Written straight to the response: Javalin's result() path copies through a fresh 32 KiB buffer per request,
        // which at FreeSWITCH's request rates was a third of all allocation. Compression, if any, still applies.
        try {
            reply.document().writeTo(ctx.outputStream());
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

package io.ominis.api.xmlcurl;

import io.ominis.api.metrics.ServerMetrics;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.xmlcurl.NotFoundReason;
import io.ominis.xmlcurl.XmlCurlRequest;
import io.ominis.xmlcurl.XmlDocument;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mod_xml_curl endpoints answer, whichever way the request came in ({@link XmlCurlRoutes} in a Javalin app,
 * {@link XmlCurlHandler} in front of it in the server): the access check, the answer and its counting. Status 200 with
 * the document for every well-formed request (FreeSWITCH ignores any other status and falls back to its static files),
 * 401 or 403 with the not-found document for a caller not let in.
 */
final class XmlCurlAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(XmlCurlAnswers.class);

    /** An answer: its status, whether it challenges for Basic credentials, and the document. */
    record Reply(int status, boolean challenge, XmlDocument document) {
    }

    private final XmlCurlService service;
    private final XmlCurlAccess access;
    private final ServerMetrics metrics;

    XmlCurlAnswers(XmlCurlService service, XmlCurlAccess access, ServerMetrics metrics) {
        this.service = service;
        this.access = access;
        this.metrics = metrics;
    }

    /**
     * The reply to a request for {@code endpoint} ({@code directory}, {@code acl}, {@code configuration}).
     *
     * @param form the form or query string; only read once the caller is let in, and may throw
     *             {@link IllegalArgumentException} for a charset it cannot decode
     */
    Reply answer(String endpoint, String authorization, String ip, Supplier<String> form) {
        return reply(endpoint, authorization, ip, form,
                request -> CompletableFuture.completedFuture(service.answer(request))).join();
    }

    /**
     * The reply {@link #answer} would give, without blocking the caller: complete at once when it is in memory,
     * otherwise completed on the lookup threads, or on {@code blocking} for the lookups that are run there (see
     * {@link XmlCurlService#answerAsync}).
     *
     * @throws java.util.concurrent.RejectedExecutionException when {@code blocking} refuses the lookup
     */
    CompletableFuture<Reply> answerAsync(String endpoint, String authorization, String ip, Supplier<String> form,
            Executor blocking) {
        return reply(endpoint, authorization, ip, form, request -> service.answerAsync(request, blocking));
    }

    private CompletableFuture<Reply> reply(String endpoint, String authorization, String ip, Supplier<String> form,
            Function<XmlCurlRequest, CompletableFuture<XmlDocument>> answers) {
        XmlCurlAccess.Verdict verdict = access.check(authorization, ip);
        if (verdict != XmlCurlAccess.Verdict.ALLOWED) {
            metrics.xmlCurlDenied(endpoint);
            boolean badCredentials = verdict == XmlCurlAccess.Verdict.BAD_CREDENTIALS;
            return CompletableFuture.completedFuture(new Reply(badCredentials ? 401 : 403, badCredentials,
                    service.notFound(NotFoundReason.MALFORMED_REQUEST)));
        }
        String text;
        try {
            text = form.get();
        } catch (IllegalArgumentException e) {
            // an unknown or malformed charset (IllegalCharsetNameException, UnsupportedCharsetException): the
            // client's mistake, and FreeSWITCH must get a usable answer all the same
            LOG.debug("xml_curl request with an unusable charset answered not found: {}", e.getMessage());
            text = null;
        }
        CompletableFuture<XmlDocument> answer = text == null
                ? CompletableFuture.completedFuture(service.notFound(NotFoundReason.MALFORMED_REQUEST))
                : answers.apply(XmlCurlRequest.parse(text));
        return answer.thenApply(document -> {
            metrics.xmlCurlAnswered(endpoint, document);
            return new Reply(200, false, document);
        });
    }
}

package io.ominis.api.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before any route sees them (a malformed URI such as {@code /x/%00}, bad
 * headers): the same {@code application/problem+json} shape as every other error, instead of Jetty's HTML page, and
 * never a stack trace.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    /** Every method gets the problem body: Jetty's default writes one only for GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        String title = HttpStatus.getMessage(code);
        String body = "{\"type\":\"about:blank\",\"title\":\"" + jsonText(title) + "\",\"status\":" + code
                + ",\"detail\":\"the request was refused before routing: " + jsonText(title.toLowerCase(java.util.Locale.ROOT))
                + "\"}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Jetty's reason phrases are plain ASCII words; anything else is dropped rather than escaped. */
    private static String jsonText(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9 .,'-]", "");
    }
}

package io.ominis.api.http;

import java.io.EOFException;

/**
 * Recognises failures that mean the client abandoned its request (closed the connection mid-body, reset it, or let
 * Jetty's idle timeout expire while sending): a client's doing, logged at DEBUG and answered 400, never counted as a
 * server error.
 */
public final class ClientAbort {

    private ClientAbort() {
    }

    /** Whether {@code failure} or one of its causes is such an abandonment. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EOFException // includes Jetty's EofException
                    // a malformed or truncated message as Jetty's parser reports it (BadMessageException and kin)
                    || t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400 && http.getCode() < 500
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.io.IOException && t.getMessage() != null
                    && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe")
                    || t.getMessage().contains("Early EOF"))) {
                return true;
            }
        }
        return false;
    }
}

package io.ominis.api.http;

import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * One bulkhead: at most {@code workers} requests of its paths run at once, at most {@code queue} more wait for one of
 * them (suspended, holding no thread) for up to the queue wait, and any beyond that, or waiting longer, get 503
 * {@code application/problem+json} with {@code Retry-After} at once. Jetty's {@link QoSHandler} does the counting;
 * this adds our refusal.
 */
final class Bulkhead extends QoSHandler {

    private static final int RETRY_AFTER_SECONDS = 1;

    private final String name;

    Bulkhead(String name, int workers, int queue, Duration queueWait) {
        this.name = name;
        setMaxRequestCount(workers);
        setMaxSuspendedRequestCount(queue);
        setMaxSuspend(queueWait);
        setRejectStatusCode(503);
    }

    /** What this bulkhead serves, as named in its refusals ({@code freeswitch}, {@code health}, {@code api}). */
    String name() {
        return name;
    }

    /** Requests refused because every worker was busy and the queue full, or they waited too long. */
    long refused() {
        return getTotalExceededRequestCount() + getTotalExpiredRequestCount();
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        refuse(response, callback, status, "all " + getMaxRequestCount() + " workers are busy and "
                + getMaxSuspendedRequestCount() + " requests already wait");
    }

    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        refuse(response, callback, status, "no worker became free within " + getMaxSuspend().toMillis() + " ms");
    }

    private void refuse(Response response, Callback callback, int status, String why) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        Problem.write(response, callback, status, "Service unavailable", "the server is overloaded (" + name
                + " requests: " + why + "); retry after " + RETRY_AFTER_SECONDS + " s", null);
    }
}

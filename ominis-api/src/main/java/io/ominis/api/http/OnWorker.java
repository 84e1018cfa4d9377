package io.ominis.api.http;

import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The border between the handlers Jetty may run on the thread that read the request and those that may block: the
 * handlers behind this one run on a worker of the server's pool. In front of it only non-blocking work is done, which
 * lets Jetty run a request on its network thread instead of waking another thread for every request; FreeSWITCH's
 * cached directory lookups are then answered without any hand-off between threads.
 */
public final class OnWorker extends Handler.Wrapper {

    private static final int RETRY_AFTER_SECONDS = 1;

    /** Never blocks the calling thread: what may block is handed to a worker. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        run(request, response, callback, next);
        return true;
    }

    /**
     * Runs {@code handler} for the request on a worker, completing the exchange as Jetty would have if it had called
     * the handler itself: 404 when the handler does not take the request, the error page when it throws, and 503 with
     * {@code Retry-After} when the pool refuses the task.
     */
    public static void run(Request request, Response response, Callback callback, Request.Handler handler) {
        try {
            request.getContext().execute(() -> {
                try {
                    if (!handler.handle(request, response, callback)) {
                        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    }
                } catch (Throwable x) {
                    callback.failed(x);
                }
            });
        } catch (RejectedExecutionException e) {
            refuse(response, callback);
        }
    }

    /** Answers 503 with {@code Retry-After}: the pool refused the work the request needs. */
    public static void refuse(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        Problem.write(response, callback, 503, "Service unavailable", "the server is overloaded (no worker thread "
                + "could take the request); retry after " + RETRY_AFTER_SECONDS + " s", null);
    }
}

package io.ominis.api.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for a request body to arrive in full. Bodies are read ahead without a thread (Jetty's
 * {@link org.eclipse.jetty.server.handler.EagerContentHandler}, between {@link Outer} and {@link Arrived}), so a
 * client trickling its body (slowloris) never holds a worker; this cuts its connection once the deadline passes, so
 * it does not hold the connection and the buffered bytes either. Jetty's idle timeout only bounds the gap between two
 * bytes, not the whole.
 */
final class BodyDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(BodyDeadline.class);
    private static final String TASK = BodyDeadline.class.getName() + ".task";

    private BodyDeadline() {
    }

    /**
     * Refuses a body announced larger than the largest one accepted (413, before reading a byte of it, so that a
     * client sending {@code Expect: 100-continue} is not asked for it), starts the clock for requests that carry a
     * body, and stops it when the exchange ends.
     */
    static final class Outer extends Handler.Wrapper {

        private final long timeoutMillis;
        private final long maxBodyBytes;

        Outer(Duration timeout, long maxBodyBytes) {
            this.timeoutMillis = timeout.toMillis();
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getLength() > maxBodyBytes) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                Problem.write(response, callback, 413, "Payload too large", "the body is larger than " + maxBodyBytes
                        + " bytes", null);
                return true;
            }
            boolean hasBody = request.getLength() > 0
                    || (request.getLength() < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
            if (!hasBody) {
                return super.handle(request, response, callback);
            }
            Scheduler.Task task = request.getComponents().getScheduler().schedule(() -> {
                LOG.debug("{} {} from {}: the body did not arrive within {} ms, closing the connection",
                        request.getMethod(), Request.getPathInContext(request), Request.getRemoteAddr(request),
                        timeoutMillis);
                request.getConnectionMetaData().getConnection().getEndPoint()
                        .close(new TimeoutException("request body not received within " + timeoutMillis + " ms"));
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            request.setAttribute(TASK, task);
            Callback stop = new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    task.cancel();
                    super.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    task.cancel();
                    super.failed(x);
                }
            };
            try {
                if (super.handle(request, response, stop)) {
                    return true;
                }
            } catch (Exception | Error e) {
                task.cancel();
                throw e;
            }
            task.cancel();
            return false;
        }
    }

    /** Placed after the read-ahead: the body is all here, so the deadline no longer applies. */
    static final class Arrived extends Handler.Wrapper {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getAttribute(TASK) instanceof Scheduler.Task task) {
                task.cancel();
            }
            return super.handle(request, response, callback);
        }
    }
}

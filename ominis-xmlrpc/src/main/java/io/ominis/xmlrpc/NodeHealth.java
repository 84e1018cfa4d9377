package io.ominis.xmlrpc;

import java.time.Instant;

/**
 * A snapshot of how a node has answered lately. A node is counted as reachable when it returns any reply, an
 * {@code -ERR} included; only transport failures count against it.
 *
 * @param lastSuccess         when the node last answered; null if never
 * @param lastError           the last transport failure's message; null if none yet
 * @param lastErrorAt         when that failure happened
 * @param consecutiveFailures transport failures since the last answer
 * @param answers             calls the node answered since start
 * @param failures            calls that failed in transport since start
 */
public record NodeHealth(String node, Instant lastSuccess, String lastError, Instant lastErrorAt, int consecutiveFailures,
        long answers, long failures) {

    /** Whether the last call reached the node (true before the first call too). */
    public boolean healthy() {
        return consecutiveFailures == 0;
    }
}

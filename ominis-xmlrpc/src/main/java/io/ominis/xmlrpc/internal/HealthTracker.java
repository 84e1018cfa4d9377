package io.ominis.xmlrpc.internal;

import io.ominis.xmlrpc.NodeHealth;
import io.ominis.xmlrpc.TransportListener;
import io.ominis.xmlrpc.XmlRpcTransportException;
import java.time.Clock;
import java.time.Instant;

/** Keeps one node's {@link NodeHealth}; updated by its client, read by anyone. */
public final class HealthTracker implements TransportListener {

    private final String node;
    private final Clock clock;
    private Instant lastSuccess;
    private String lastError;
    private Instant lastErrorAt;
    private int consecutiveFailures;
    private long answers;
    private long failures;

    public HealthTracker(String node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    @Override
    public synchronized void onAnswer() {
        lastSuccess = clock.instant();
        consecutiveFailures = 0;
        answers++;
    }

    @Override
    public synchronized void onTransportFailure(XmlRpcTransportException failure) {
        lastError = failure.getMessage();
        lastErrorAt = clock.instant();
        consecutiveFailures++;
        failures++;
    }

    /** An immutable copy of the current state. */
    public synchronized NodeHealth snapshot() {
        return new NodeHealth(node, lastSuccess, lastError, lastErrorAt, consecutiveFailures, answers, failures);
    }
}

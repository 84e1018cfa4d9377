package io.ominis.xmlrpc;

/**
 * Told about every call's outcome as seen by the transport, e.g. to track a node's health. Called on the calling
 * thread; implementations must be fast and must not throw.
 */
public interface TransportListener {

    /** The node answered (with any string, an {@code -ERR} included: the node is reachable). */
    void onAnswer();

    /** No usable answer came back, after any retries. */
    void onTransportFailure(XmlRpcTransportException failure);

    /** A listener that ignores everything. */
    TransportListener NONE = new TransportListener() {
        @Override
        public void onAnswer() {
        }

        @Override
        public void onTransportFailure(XmlRpcTransportException failure) {
        }
    };
}

package io.ominis.xmlrpc;

/**
 * No usable answer came back from a node: connection refused, timeout, HTTP error, an XML-RPC fault, malformed or
 * oversized XML. The message names the node and URL and what happened, never the credentials.
 */
public class XmlRpcTransportException extends FreeSwitchException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final boolean retryable;

    public XmlRpcTransportException(String node, String command, String what, boolean retryable, Throwable cause) {
        super(command, "FreeSWITCH node " + node + ": " + command + ": " + what, cause);
        this.node = node;
        this.retryable = retryable;
    }

    /** The node's name and {@code /RPC2} URL, e.g. {@code fs1 (http://10.0.0.5:8080/RPC2)}. */
    public String node() {
        return node;
    }

    /**
     * Whether sending the same request again may succeed (connection failures, timeouts, 5xx) as opposed to answers
     * that will not change (401, faults, malformed or oversized replies).
     */
    public boolean retryable() {
        return retryable;
    }
}

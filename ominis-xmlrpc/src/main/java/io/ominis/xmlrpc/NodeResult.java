package io.ominis.xmlrpc;

import java.util.Objects;

/**
 * The outcome of a cluster-wide command on one node: a value or the error that node gave. One node's failure never
 * hides the others' results.
 */
public record NodeResult<T>(String node, T value, FreeSwitchException error) {

    public NodeResult {
        Objects.requireNonNull(node, "node");
    }

    /** A success carrying {@code value} (null for commands without a result). */
    public static <T> NodeResult<T> ok(String node, T value) {
        return new NodeResult<>(node, value, null);
    }

    /** A failure. */
    public static <T> NodeResult<T> failed(String node, FreeSwitchException error) {
        return new NodeResult<>(node, null, Objects.requireNonNull(error, "error"));
    }

    /** Whether the node did what was asked. */
    public boolean ok() {
        return error == null;
    }
}

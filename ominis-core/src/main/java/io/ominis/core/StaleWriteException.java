package io.ominis.core;

/**
 * A write was made against a version of the resource that is no longer the current one (optimistic concurrency: the
 * caller's {@code If-Match} names an older version). Nothing was written; read the resource again and retry.
 */
public class StaleWriteException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String current;

    /**
     * @param message what was stale
     * @param current the version that is current, for the caller to show or retry with
     */
    public StaleWriteException(String message, String current) {
        super(message);
        this.current = current;
    }

    /** The version that is current. */
    public String current() {
        return current;
    }
}

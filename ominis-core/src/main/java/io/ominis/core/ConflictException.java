package io.ominis.core;

/**
 * A write is valid on its own but conflicts with the current state, e.g. a row that others still reference.
 */
public class ConflictException extends OminisException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.ominis.core;

/**
 * Root of every exception Ominis throws on purpose. Unchecked, like Jdbi's {@code JdbiException}: callers catch the
 * specific subclass they can handle and let the rest travel.
 */
public abstract class OminisException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected OminisException(String message) {
        super(message);
    }

    protected OminisException(String message, Throwable cause) {
        super(message, cause);
    }
}

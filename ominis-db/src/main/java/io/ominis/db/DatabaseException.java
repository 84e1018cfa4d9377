package io.ominis.db;

import io.ominis.core.OminisException;

/**
 * The database failed in a way that is neither the caller's mistake nor a passing outage (a bug, a schema that
 * drifted). Constraint violations and outages have their own exceptions in {@code io.ominis.core}.
 */
public class DatabaseException extends OminisException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.ominis.db;

import io.ominis.core.InvalidValueException;

/** The bound every listing of the switch-state DAOs shares, so that no caller can ask for an unbounded read. */
final class Limits {

    /** The most rows one listing may return. */
    static final int MAX = 1000;

    private Limits() {
    }

    /** {@code limit} itself. @throws InvalidValueException unless it is between 1 and {@link #MAX} */
    static int check(int limit) {
        if (limit < 1 || limit > MAX) {
            throw new InvalidValueException("limit", "must be between 1 and " + MAX + ", got " + limit);
        }
        return limit;
    }
}

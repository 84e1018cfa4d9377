package io.ominis.db;

/** The bound every listing of the switch-state DAOs shares, so that no caller can ask for an unbounded read. */
final class Limits {

    /** The most rows one listing may return. */
    static final int MAX = 1000;

    private Limits() {
    }

    /** {@code limit} itself. @throws InvalidValueException unless it is between 1 and {@link #MAX} */
    static int check(int limit) {
        return Rows.limit(limit, MAX);
    }
}

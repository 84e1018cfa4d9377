package io.ominis.server.api;

import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;

/** Typed query parameters; a malformed one is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code limit}, between 1 and {@code max}, or {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        return integer(ctx, "limit", fallback, 1, max);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public static int integer(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidValueException(name, "must be a whole number from " + min + " to " + max);
    }

    /** The parameter, or null when absent or empty. */
    public static String string(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }
}

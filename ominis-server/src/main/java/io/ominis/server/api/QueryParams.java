package io.ominis.server.api;

import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;

/** Typed query and path parameters; a malformed one is a 400 naming the parameter. */
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

    /**
     * The key of a resource written through {@code PUT}/{@code PATCH} on its path (which a body may repeat but not
     * contradict), or created by {@code POST} (where the body must carry it).
     *
     * @param inBody the key in the body, or null
     * @param inPath the key in the path; null on create
     * @throws InvalidValueException naming {@code field} when the body contradicts the path or no key is given
     */
    public static String key(String field, String inBody, String inPath) {
        if (inPath != null && inBody != null && !inBody.equals(inPath)) {
            throw new InvalidValueException(field, "must match the " + field + " in the path");
        }
        String key = inPath != null ? inPath : inBody;
        if (key == null) {
            throw new InvalidValueException(field, "is required");
        }
        return key;
    }

    /** The parameter, or null when absent or empty. */
    public static String string(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }
}

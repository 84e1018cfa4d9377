package io.ominis.api.rest;

import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Typed query and path parameters; a malformed one is a 400 naming the parameter. Each reads {@link Params}; the
 * {@link Context} forms are the same reading of a request Javalin routed.
 */
public final class QueryParams {

    private static final List<String> BOOLEANS = List.of("true", "false");

    private QueryParams() {
    }

    /** {@code limit}, between 1 and {@code max}, or {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        return limit(Params.of(ctx), fallback, max);
    }

    /** {@code limit}, between 1 and {@code max}, or {@code fallback} when absent. */
    public static int limit(Params params, int fallback, int max) {
        return integer(params, "limit", fallback, 1, max);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public static int integer(Context ctx, String name, int fallback, int min, int max) {
        return integer(Params.of(ctx), name, fallback, min, max);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public static int integer(Params params, String name, int fallback, int min, int max) {
        String v = params.queryParam(name);
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
        return string(Params.of(ctx), name);
    }

    /** The parameter, or null when absent or empty. */
    public static String string(Params params, String name) {
        String v = params.queryParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * The constant of {@code type} spelled as FreeSWITCH spells it ({@code On Break}; any case), or null when absent.
     */
    public static <E extends Enum<E> & WireValue> E wire(Context ctx, String name, Class<E> type) {
        return wire(Params.of(ctx), name, type);
    }

    /**
     * The constant of {@code type} spelled as FreeSWITCH spells it ({@code On Break}; any case), or null when absent.
     */
    public static <E extends Enum<E> & WireValue> E wire(Params params, String name, Class<E> type) {
        String v = string(params, name);
        return v == null ? null : WireValue.parse(type, v, name);
    }

    /** One of {@code allowed} (any case), spelled as there, or null when absent. */
    public static String oneOf(Context ctx, String name, List<String> allowed) {
        return oneOf(Params.of(ctx), name, allowed);
    }

    /** One of {@code allowed} (any case), spelled as there, or null when absent. */
    public static String oneOf(Params params, String name, List<String> allowed) {
        String v = string(params, name);
        if (v == null) {
            return null;
        }
        return allowed.stream().filter(v::equalsIgnoreCase).findFirst().orElseThrow(
                () -> new InvalidValueException(name, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'"));
    }

    /** Whether the parameter is {@code true}; absent means false. @throws InvalidValueException unless true/false */
    public static boolean flag(Context ctx, String name) {
        return flag(Params.of(ctx), name);
    }

    /** Whether the parameter is {@code true}; absent means false. @throws InvalidValueException unless true/false */
    public static boolean flag(Params params, String name) {
        return "true".equals(oneOf(params, name, BOOLEANS));
    }

    /**
     * A local date-time ({@code 2026-11-25T13:00:00}, seconds optional) or a date (its midnight), or null when absent.
     * No offset: CDR stamps are the switch's wall-clock time, so an instant could not be compared with them.
     */
    public static LocalDateTime localDateTime(Context ctx, String name) {
        return localDateTime(Params.of(ctx), name);
    }

    /**
     * A local date-time ({@code 2026-11-25T13:00:00}, seconds optional) or a date (its midnight), or null when absent.
     */
    public static LocalDateTime localDateTime(Params params, String name) {
        String v = string(params, name);
        if (v == null) {
            return null;
        }
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay() : LocalDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(name,
                    "must be a local date-time such as 2026-11-25T13:00:00 or a date such as 2026-11-25 (switch time, no offset)");
        }
    }
}

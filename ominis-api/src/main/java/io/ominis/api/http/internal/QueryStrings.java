package io.ominis.api.http.internal;

import io.ominis.core.InvalidValueException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The management API's query strings, decoded as Javalin decodes them ({@code &}-separated, split at the first
 * {@code =}, names and values URL-decoded as UTF-8), but refusing a percent escape that is not one instead of
 * dropping the parameter: {@code ?limit=%zz} would otherwise be answered with the default limit, as if the client had
 * not asked for one. FreeSWITCH's forms are not checked here; mod_xml_curl's parser keeps such text as it came.
 */
public final class QueryStrings {

    private QueryStrings() {
    }

    /**
     * Refuses {@code raw} (a query string as received, without {@code ?}; null for none) when one of its names or
     * values holds a malformed percent escape.
     *
     * @throws InvalidValueException naming the parameter (as sent, when its name is the malformed part)
     */
    public static void check(String raw) {
        if (raw == null || raw.indexOf('%') < 0) {
            return;
        }
        for (String part : raw.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (!decodes(name)) {
                throw new InvalidValueException(name, "the parameter's name is not valid percent-encoding");
            }
            if (eq >= 0 && !decodes(part.substring(eq + 1))) {
                throw new InvalidValueException(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        "not valid percent-encoding (a % must be followed by two hexadecimal digits)");
            }
        }
    }

    /**
     * Every parameter of {@code raw} with its values in order, decoded as Javalin's {@code ctx.queryParam} decodes
     * them, so that a request answered ahead of Javalin reads the same values; {@link #check} it first.
     */
    public static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return all;
        }
        for (String part : raw.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = decoded(eq < 0 ? part : part.substring(0, eq));
            String value = decoded(eq < 0 ? "" : part.substring(eq + 1));
            if (name == null) {
                continue;
            }
            List<String> values = all.computeIfAbsent(name, n -> new ArrayList<>(1));
            if (value != null) {
                values.add(value);
            }
        }
        return all;
    }

    private static boolean decodes(String text) {
        return decoded(text) != null;
    }

    private static String decoded(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

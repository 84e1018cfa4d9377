package io.ominis.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks every writable text and number field goes through before it reaches the database or FreeSWITCH. Each
 * failure is an {@link InvalidValueException} naming the field, so callers get the same wording everywhere.
 */
public final class FieldCheck {

    private FieldCheck() {
    }

    /** Requires a non-blank single-line value of at most {@code maxLength} characters. */
    public static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(field, "is required");
        }
        return singleLine(field, value, maxLength);
    }

    /** Allows null; otherwise a single-line value of at most {@code maxLength} characters. */
    public static String singleLine(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        length(field, value, maxLength);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidValueException(field, "must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
        }
        return wellFormed(field, value);
    }

    /** Allows null; otherwise text of at most {@code maxLength} characters that may span lines (tabs and newlines). */
    public static String multiLine(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        length(field, value, maxLength);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                throw new InvalidValueException(field, "must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
        }
        return wellFormed(field, value);
    }

    /**
     * Refuses FreeSWITCH variable syntax ({@code ${…}}): FreeSWITCH expands it at run time in sounds, application
     * arguments and caller-ID strings, and {@code ${system(…)}} or {@code ${api(…)}} would run commands on the switch.
     */
    public static String noVariables(String field, String value) {
        if (value != null && value.contains("${")) {
            throw new InvalidValueException(field, "must not contain '${' (FreeSWITCH would expand it as a variable)");
        }
        return value;
    }

    /**
     * Applies {@link #noVariables} to every member name and every string inside a JSON value, at any depth, naming
     * the member that breaks it ({@code features_json.accountcode}, {@code voicemail_json.password},
     * {@code action_config.list[2]}). Members of JSON columns are rendered into FreeSWITCH's directory or dialplan,
     * where FreeSWITCH expands them like any other text. Null and JSON null are allowed.
     */
    public static JsonNode noVariables(String field, JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            noVariables(field, value.textValue());
        } else if (value.isObject()) {
            for (Map.Entry<String, JsonNode> member : value.properties()) {
                String name = field + "." + member.getKey();
                noVariables(name, member.getKey());
                noVariables(name, member.getValue());
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                noVariables(field + "[" + i + "]", value.get(i));
            }
        }
        return value;
    }

    /** Requires {@code value} to match {@code pattern} entirely; {@code rule} explains the pattern to a person. */
    public static String matches(String field, String value, Pattern pattern, String rule) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidValueException(field, rule + (value == null ? "" : ", got '" + printable(value) + "'"));
        }
        return value;
    }

    /** Requires {@code min <= value <= max}. */
    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidValueException(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static void length(String field, String value, int maxLength) {
        int codePoints = value.codePointCount(0, value.length());
        if (codePoints > maxLength) {
            throw new InvalidValueException(field, "must be at most " + maxLength + " characters, got " + codePoints);
        }
    }

    /** Lone surrogates cannot be stored as UTF-8; the driver would silently turn them into '?'. */
    private static String wellFormed(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidValueException(field, "is not valid Unicode (unpaired surrogate at index " + i + ")");
            }
            if (Character.isLowSurrogate(c)) {
                throw new InvalidValueException(field, "is not valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
        return value;
    }

    /** Keeps error messages short and on one line when they quote a rejected value. */
    private static String printable(String value) {
        String shortened = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}

package io.ominis.xmlrpc.internal;

import io.ominis.core.InvalidValueException;

/**
 * Checks values before they become part of a FreeSWITCH command line. FreeSWITCH splits API arguments on spaces,
 * honours single quotes and backslash escapes, and stops at the first line end, so a value that could change how the
 * line splits is refused here rather than escaped: nothing is ever sent with a value we could not prove harmless.
 */
public final class Arguments {

    private Arguments() {
    }

    /**
     * A single word: a name, uuid, key or number. Refuses empty strings, whitespace, control characters, quotes and
     * backslashes.
     */
    public static String word(String field, String value) {
        requireNonNull(field, value);
        if (value.isEmpty()) {
            throw new InvalidValueException(field, "must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidValueException(field, "must not contain whitespace");
            }
            checkCommon(field, c);
        }
        return value;
    }

    /**
     * A value that may contain spaces (e.g. {@code On Break}); returned ready to send: bare when it is one word,
     * wrapped in single quotes otherwise, as mod_callcenter's argument splitter expects.
     */
    public static String quotable(String field, String value) {
        requireNonNull(field, value);
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                space = true;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidValueException(field, "must not contain whitespace other than plain spaces");
            } else {
                checkCommon(field, c);
            }
        }
        return space || value.isEmpty() ? "'" + value + "'" : value;
    }

    /** Free text for a raw API call: anything but control characters (which would end or corrupt the line). */
    public static String line(String field, String value) {
        requireNonNull(field, value);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidValueException(field, "must not contain control characters (line breaks, NUL, …)");
            }
        }
        return value;
    }

    /** A non-negative number, for keys such as {@code wrap_up_time} and tier levels. */
    public static String nonNegative(String field, int value) {
        if (value < 0) {
            throw new InvalidValueException(field, "must not be negative, got " + value);
        }
        return Integer.toString(value);
    }

    private static void checkCommon(String field, char c) {
        if (Character.isISOControl(c)) {
            throw new InvalidValueException(field, "must not contain control characters (line breaks, NUL, …)");
        }
        if (c == '\'' || c == '"' || c == '\\' || c == '`') {
            throw new InvalidValueException(field, "must not contain quotes or backslashes");
        }
    }

    private static void requireNonNull(String field, String value) {
        if (value == null) {
            throw new InvalidValueException(field, "must not be null");
        }
    }
}

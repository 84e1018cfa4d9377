package io.ominis.api.rest;

import io.ominis.core.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque page cursors: clients pass back what they were given and never build one. The text inside is a versioned
 * key, so the format can change without breaking a client that holds an old cursor (it just gets a 400). Keyset
 * cursors of several columns also carry the listing they came from, so that one route refuses another's cursor
 * instead of starting somewhere arbitrary.
 */
public final class Cursors {

    private static final String PREFIX = "v1:";
    private static final String KEYED = "v2:";
    private static final Base64.Encoder PART = Base64.getUrlEncoder().withoutPadding();

    private Cursors() {
    }

    /** The cursor for {@code key}, or null for no key. */
    public static String encode(String key) {
        return key == null ? null : text(PREFIX + key);
    }

    /** The key inside {@code cursor}; null for none. @throws InvalidValueException naming {@code cursor} */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String text = plain(cursor);
        if (text != null && text.startsWith(PREFIX)) {
            return text.substring(PREFIX.length());
        }
        throw refused();
    }

    /**
     * The cursor of listing {@code listing} after the row whose key columns are {@code key} (each may be null), or
     * null for no key.
     */
    public static String encode(String listing, List<String> key) {
        if (key == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(KEYED).append(listing);
        for (String part : key) {
            // a null column is "-", a value is "=" and its base64, so no value can be mistaken for a separator
            text.append('.').append(part == null ? "-" : "=" + PART.encodeToString(part.getBytes(StandardCharsets.UTF_8)));
        }
        return text(text.toString());
    }

    /**
     * The {@code columns} key values inside a cursor that {@link #encode(String, List)} made for {@code listing};
     * null for no cursor.
     *
     * @throws InvalidValueException naming {@code cursor} for a cursor of another listing or one that was altered
     */
    public static List<String> decode(String listing, String cursor, int columns) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String text = plain(cursor);
        String head = KEYED + listing + ".";
        if (text == null || !text.startsWith(head)) {
            throw refused();
        }
        String[] parts = text.substring(head.length()).split("\\.", -1);
        if (parts.length != columns) {
            throw refused();
        }
        List<String> key = new ArrayList<>(columns);
        try {
            for (String part : parts) {
                if (part.equals("-")) {
                    key.add(null);
                } else if (part.startsWith("=")) {
                    key.add(new String(Base64.getUrlDecoder().decode(part.substring(1)), StandardCharsets.UTF_8));
                } else {
                    throw refused();
                }
            }
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        return key;
    }

    private static String text(String plain) {
        return PART.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String plain(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InvalidValueException refused() {
        return new InvalidValueException("cursor", "is not a cursor this server issued for this listing");
    }
}

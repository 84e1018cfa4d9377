package io.ominis.api.rest;

import io.ominis.core.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors: clients pass back what they were given and never build one. The text inside is a versioned
 * key, so the format can change without breaking a client that holds an old cursor (it just gets a 400).
 */
public final class Cursors {

    private static final String PREFIX = "v1:";

    private Cursors() {
    }

    /** The cursor for {@code key}, or null for no key. */
    public static String encode(String key) {
        return key == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key inside {@code cursor}; null for none. @throws InvalidValueException naming {@code cursor} */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidValueException("cursor", "is not a cursor this server issued");
    }
}

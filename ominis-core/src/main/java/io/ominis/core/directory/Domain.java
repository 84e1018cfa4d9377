package io.ominis.core.directory;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A directory domain Ominis serves ({@code domains} table). With none stored, every domain FreeSWITCH asks about is
 * served; with some, only those, and in the {@code a1-hash} password storage each is a realm an extension keeps a
 * digest hash for. Names are DNS names or IPv4 addresses, kept in lower case.
 *
 * @param createdAt set by the database; null on a record that has not been stored
 * @param updatedAt maintained by a trigger; null on a record that has not been stored
 */
public record Domain(String name, String description, Instant createdAt, Instant updatedAt) {

    /** Labels of letters, digits and inner hyphens joined by dots, in lower case (what the schema's CHECK holds). */
    public static final Pattern NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** A new domain without a description. */
    public static Domain of(String name) {
        return new Domain(name, null, null, null);
    }

    /**
     * {@code name} in lower case, checked.
     *
     * @throws InvalidValueException naming {@code field} when it is not a domain name
     */
    public static String normalize(String field, String name) {
        if (name == null) {
            throw new InvalidValueException(field, "is required");
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.length() > 253 || !NAME.matcher(lower).matches()) {
            throw new InvalidValueException(field, "must be a domain name such as pbx.example.com or an IPv4 address"
                    + " (letters, digits, '-' and '.', at most 253 characters)");
        }
        return lower;
    }

    /**
     * This record with its name normalized and every field checked.
     *
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    public Domain validate() {
        String normalized = normalize("name", name);
        FieldCheck.singleLine("description", description, 1000);
        FieldCheck.noVariables("description", description);
        return new Domain(normalized, description, createdAt, updatedAt);
    }
}

package io.ominis.core.acl;

import io.ominis.core.FieldCheck;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One node of a FreeSWITCH network list ({@code acl_entries} table); all entries with one {@code listName} form one
 * {@code <list>} of {@code acl.conf}.
 *
 * @param id   surrogate key assigned by the database; null before the entry is stored
 * @param cidr canonical network text, see {@link Cidr}
 */
public record AclEntry(
        Integer id,
        String listName,
        String cidr,
        AclPermission permission,
        String description,
        Instant createdAt,
        Instant updatedAt) {

    /** List names as FreeSWITCH refers to them in {@code apply-inbound-acl} and friends. */
    public static final Pattern LIST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The list the spec seeds and uses when none is named. */
    public static final String DEFAULT_LIST = "trusted_users";

    public AclEntry {
        listName = listName == null ? DEFAULT_LIST : listName;
        permission = permission == null ? AclPermission.ALLOW : permission;
    }

    /** A new entry allowing {@code cidr} in {@code listName}. */
    public static AclEntry allow(String listName, String cidr) {
        return new AclEntry(null, listName, cidr, AclPermission.ALLOW, null, null, null);
    }

    /**
     * Checks every field and returns the entry with its CIDR in canonical form, so that {@code 10.0.0.1} and
     * {@code 10.0.0.1/32} are one entry, not two.
     */
    public AclEntry validate() {
        FieldCheck.matches("list_name", listName, LIST_NAME,
                "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        String canonical = Cidr.normalize(cidr);
        FieldCheck.multiLine("description", description, 10_000);
        return new AclEntry(id, listName, canonical, permission, description, createdAt, updatedAt);
    }
}

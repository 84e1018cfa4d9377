package io.ominis.core.directory;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the directory serves for one number: the extension and the digest hashes kept for it by realm (empty unless
 * its password is stored as {@link A1Hash}es only).
 *
 * @param a1Hashes lower-case realm to {@link A1Hash}
 */
public record SipUser(Extension extension, Map<String, String> a1Hashes) {

    /** Copies the map. */
    public SipUser {
        Objects.requireNonNull(extension, "extension");
        a1Hashes = Map.copyOf(a1Hashes);
    }

    /** The hash kept for {@code realm} (compared in lower case, as domains are stored), or null. */
    public String a1HashFor(String realm) {
        return realm == null ? null : a1Hashes.get(realm.toLowerCase(Locale.ROOT));
    }
}

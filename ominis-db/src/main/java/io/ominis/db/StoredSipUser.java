package io.ominis.db;

import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.directory.SipUser;
import java.util.List;
import java.util.Objects;

/**
 * A SIP user as its row holds it: the columns the directory serves, with the JSON settings still as text and the
 * digest hashes as {@code "realm hash"} pairs. This is what a directory cache keeps for each of a million users, at a
 * third of the memory of the parsed {@link SipUser}; {@link ExtensionDao#sipUser(StoredSipUser)} parses it when an
 * answer has to be rendered. Its password, like {@link io.ominis.core.directory.Extension}'s, never appears in
 * {@link #toString()}.
 *
 * @param password the stored password; null when only digest hashes are kept
 * @param a1Hashes {@code "realm hash"} pairs, realm in lower case; empty unless the password is kept as hashes
 */
public record StoredSipUser(
        String number,
        String password,
        String displayName,
        String email,
        String department,
        ExtensionStatus status,
        String callForwardingJson,
        String voicemailJson,
        String featuresJson,
        List<String> a1Hashes) {

    /** Copies the pairs. */
    public StoredSipUser {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(status, "status");
        a1Hashes = List.copyOf(a1Hashes);
    }

    @Override
    public String toString() {
        return "StoredSipUser[number=" + number + ", status=" + status + ", password="
                + (password == null ? "none" : "****") + ", a1Hashes=" + a1Hashes.size() + "]";
    }
}

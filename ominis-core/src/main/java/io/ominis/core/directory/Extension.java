package io.ominis.core.directory;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A SIP user of the directory ({@code extensions} table), served to FreeSWITCH over mod_xml_curl. The password is
 * stored in plain text unless the {@link SipPasswordStorage#A1_HASH} storage keeps only digest hashes; it never
 * appears in {@link #toString()}.
 *
 * @param password       the SIP password; null on a stored record whose password is not kept (only its
 *                       {@link A1Hash}es are), and on a record written to keep the stored credentials as they are
 *
 * @param callForwarding JSON object, e.g. {@code {"enabled": true, "destination": "1002"}}; may be null
 * @param voicemail      JSON object, e.g. {@code {"enabled": true, "email_notify": true}}; may be null
 * @param features       JSON object of further per-user settings; may be null
 * @param createdAt      set by the database; null on a record that has not been stored
 * @param updatedAt      maintained by a trigger; null on a record that has not been stored
 */
public record Extension(
        String number,
        String password,
        String displayName,
        String email,
        String department,
        ExtensionStatus status,
        JsonNode callForwarding,
        JsonNode voicemail,
        JsonNode features,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * Letters, digits, {@code . _ -}, starting with a letter or digit: safe in a SIP URI user part, in a FreeSWITCH
     * dial string and as an API argument.
     */
    public static final Pattern NUMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,19}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    public Extension {
        if (status == null) {
            status = ExtensionStatus.ACTIVE;
        }
    }

    /** A new active extension with only the fields FreeSWITCH needs. */
    public static Extension of(String number, String password) {
        return new Extension(number, password, null, null, null, ExtensionStatus.ACTIVE, null, null, null, null, null);
    }

    /**
     * Checks every field against the rules of the schema and returns this record. A null password passes (it
     * means "keep the stored credentials"); a write that needs one requires it itself.
     *
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    public Extension validate() {
        FieldCheck.matches("number", number, NUMBER,
                "must be 1 to 20 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (password != null) {
            FieldCheck.required("password", password, 255);
            FieldCheck.noVariables("password", password);
        }
        FieldCheck.singleLine("display_name", displayName, 255);
        FieldCheck.noVariables("display_name", displayName);
        FieldCheck.singleLine("email", email, 255);
        if (email != null) {
            FieldCheck.matches("email", email, EMAIL, "must look like name@domain");
            FieldCheck.noVariables("email", email);
        }
        FieldCheck.singleLine("department", department, 255);
        FieldCheck.noVariables("department", department);
        requireObject("call_forwarding_json", callForwarding);
        requireObject("voicemail_json", voicemail);
        requireObject("features_json", features);
        // every member may reach FreeSWITCH (vm-password, vm-mailto, accountcode, ominis_* variables)
        FieldCheck.noVariables("call_forwarding_json", callForwarding);
        FieldCheck.noVariables("voicemail_json", voicemail);
        FieldCheck.noVariables("features_json", features);
        return this;
    }

    /** This record with another password, for rotation. */
    public Extension withPassword(String newPassword) {
        return new Extension(number, newPassword, displayName, email, department, status, callForwarding, voicemail,
                features, createdAt, updatedAt);
    }

    private static void requireObject(String field, JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new InvalidValueException(field, "must be a JSON object");
        }
    }

    @Override
    public String toString() {
        return "Extension[number=" + number + ", password=****, displayName=" + displayName + ", email=" + email
                + ", department=" + department + ", status=" + status + ", callForwarding=" + callForwarding
                + ", voicemail=" + voicemail + ", features=" + features + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + "]";
    }
}

package io.ominis.core.directory;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;

/**
 * The rules a new extension meets on its way in, whichever door it comes through (one JSON object, a JSON array, a
 * CSV row): a password is required and must meet the {@link PasswordPolicy}, the status is one of
 * {@link ExtensionStatus}, and every field passes {@link Extension#validate()}.
 */
public final class ExtensionIntake {

    private final PasswordPolicy passwords;

    /** @param passwords what a password set from outside must meet */
    public ExtensionIntake(PasswordPolicy passwords) {
        this.passwords = passwords;
    }

    /**
     * A new extension from the fields a client sent; null means absent. JSON members that are JSON {@code null}
     * count as absent.
     *
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    public Extension newExtension(String number, String password, String displayName, String email, String department,
            String status, JsonNode callForwarding, JsonNode voicemail, JsonNode features) {
        if (number == null) {
            throw new InvalidValueException("number", "is required");
        }
        if (password == null) {
            throw new InvalidValueException("password", "is required");
        }
        ExtensionStatus parsed = status == null ? ExtensionStatus.ACTIVE
                : WireValue.parse(ExtensionStatus.class, status, "status");
        Extension extension = new Extension(number, password, displayName, email, department, parsed,
                absentIfNull(callForwarding), absentIfNull(voicemail), absentIfNull(features), null, null).validate();
        passwords.check("password", password);
        return extension;
    }

    private static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}

package io.ominis.xmlcurl;

import io.ominis.core.InvalidValueException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link DirectoryRenderer} renders users.
 *
 * @param userContext  the dialplan context every user's calls run in ({@code user_context})
 * @param passwordMode whether FreeSWITCH gets the plain password or only its digest {@code a1-hash}
 */
public record DirectoryOptions(String userContext, PasswordMode passwordMode) {

    private static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What the user's {@code <params>} carry for digest authentication. */
    public enum PasswordMode {
        /** {@code password}: simplest, and needed by anything that reads the password itself (e.g. xml_rpc auth). */
        PLAIN,
        /**
         * {@code a1-hash} = md5 hex of {@code user:realm:password}: the password itself never leaves the server, but
         * the hash is only valid for the realm it was computed for.
         */
        A1_HASH
    }

    /** Validates both fields. */
    public DirectoryOptions {
        Objects.requireNonNull(passwordMode, "passwordMode");
        if (userContext == null || !CONTEXT.matcher(userContext).matches()) {
            throw new InvalidValueException("user_context", "must be a dialplan context name such as default");
        }
    }

    /** Context {@code default}, plain passwords: what FreeSWITCH's vanilla directory does. */
    public static DirectoryOptions defaults() {
        return new DirectoryOptions("default", PasswordMode.PLAIN);
    }
}

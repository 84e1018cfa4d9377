package io.ominis.testing.sip;

import java.util.Objects;

/**
 * A SIP user of the switch's directory.
 *
 * @param user user part of the address and digest username, e.g. {@code 1001}
 * @param password digest password
 * @param domain domain part of the address; FreeSWITCH uses it as the digest realm, e.g. {@code 127.0.0.1}
 */
public record SipAccount(String user, String password, String domain) {

    /** Checks the arguments. */
    public SipAccount {
        requireToken(user, "user");
        Objects.requireNonNull(password, "password");
        requireToken(domain, "domain");
    }

    private static void requireToken(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || !value.chars().allMatch(c -> c > ' ' && c < 127 && c != '@' && c != '<' && c != '>')) {
            throw new IllegalArgumentException(field + " must be printable ASCII without spaces, '@', '<' or '>', got '"
                    + value + "'");
        }
    }

    /** {@code user@domain}. */
    public String address() {
        return user + "@" + domain;
    }

    @Override
    public String toString() {
        return "SipAccount[" + address() + "]";
    }
}

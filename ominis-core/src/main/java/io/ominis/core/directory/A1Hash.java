package io.ominis.core.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SIP digest {@code A1} hash FreeSWITCH accepts in place of a password ({@code <param name="a1-hash">}):
 * lower-case hex MD5 of {@code user:realm:password} (RFC 2617). It proves the password for that user and realm only,
 * so a realm change needs the password again.
 */
public final class A1Hash {

    private A1Hash() {
    }

    /** md5 hex of {@code user:realm:password}, over UTF-8. */
    public static String of(String user, String realm, String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] digest = md5.digest((user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide MD5", e);
        }
    }
}

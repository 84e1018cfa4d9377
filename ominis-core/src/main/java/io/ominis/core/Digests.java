package io.ominis.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two digests the API needs, in one place: a constant-time comparison for credentials (so a wrong token takes as
 * long to refuse as a nearly right one) and SHA-256 for content hashes such as entity tags.
 */
public final class Digests {

    private Digests() {
    }

    /** Whether {@code a} and {@code b} hold the same bytes, compared in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** The SHA-256 digest of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

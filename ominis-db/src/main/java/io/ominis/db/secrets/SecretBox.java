package io.ominis.db.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets (API keys) for storage in a text column with AES-256-GCM.
 *
 * <p>A sealed value reads {@code v1:<base64(nonce | ciphertext | tag)>}, optionally followed by
 * {@code :<base64url(label)>}. The nonce is 12 random bytes drawn per value, the tag 16 bytes. The <em>context</em>
 * (e.g. the row the value belongs to) and the <em>label</em> are bound in as associated data: a value copied into
 * another context, or given another label, fails to open. The label is public metadata — readable with
 * {@link #label(String)} without the key — for things a client may see, such as a masked hint of the secret.
 *
 * <p>Instances are thread-safe; a {@link Cipher} is made per call because ciphers are not.
 */
public final class SecretBox {

    /** Prefix of every value this version writes; a new format gets a new prefix and old values stay readable. */
    public static final String VERSION = "v1";

    private static final String PREFIX = VERSION + ":";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    // Separates these associated data from any other use of the key, present or future.
    private static final byte[] AAD_DOMAIN = "ominis.secretbox.v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;
    private final SecureRandom random;

    /** A box sealing with {@code key}, which must be a 256-bit AES key. */
    public SecretBox(SecretKey key) {
        this(key, new SecureRandom());
    }

    SecretBox(SecretKey key, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || encoded == null || encoded.length != KEY_BYTES) {
            throw new IllegalArgumentException("the key must be a 256-bit AES key");
        }
        this.key = key;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Parses a 256-bit key written as 64 hex digits or as base64 (standard or URL-safe, padding optional), as
     * {@code openssl rand -base64 32} or {@code openssl rand -hex 32} print it.
     *
     * @throws IllegalArgumentException saying what is wrong, without quoting the text
     */
    public static SecretKey parseKey(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String s = text.strip();
        byte[] bytes = null;
        if (s.matches("[0-9A-Fa-f]{64}")) {
            bytes = HexFormat.of().parseHex(s);
        } else {
            try {
                bytes = Base64.getDecoder().decode(s.replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        if (bytes == null || bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("must be 32 random bytes as base64 (44 characters) or hex (64 digits), "
                    + "e.g. from 'openssl rand -base64 32'");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** Seals {@code secret} for {@code context} without a label. */
    public String seal(String secret, String context) {
        return seal(secret, context, null);
    }

    /**
     * Seals {@code secret}, bound to {@code context} and {@code label}.
     *
     * @param context what the value belongs to, e.g. {@code ivrs.openai_api_key:main}; needed again to open it
     * @param label   public metadata stored in clear beside the ciphertext (authenticated, not secret); null for none
     */
    public String seal(String secret, String context, String label) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(context, "context");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData(context, label));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] body = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            String text = PREFIX + Base64.getEncoder().encodeToString(body);
            return label == null ? text
                    : text + ":" + Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // AES-GCM is required of every Java platform; failing here means a broken JRE, not bad input
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Opens a value sealed by {@link #seal} for the same {@code context}.
     *
     * @throws SecretBoxException.Malformed   when {@code sealed} is not a sealed value
     * @throws SecretBoxException.Unauthentic when it was altered, sealed under another key or for another context
     */
    public String open(String sealed, String context) {
        Objects.requireNonNull(context, "context");
        Envelope e = Envelope.parse(sealed);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, e.body(), 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(context, e.label()));
            byte[] plain = cipher.doFinal(e.body(), NONCE_BYTES, e.body().length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException ex) {
            throw new SecretBoxException.Unauthentic(ex);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is unavailable", ex);
        }
    }

    /**
     * The public label of a sealed value, or null when it has none. Needs no key; the label is only trustworthy once
     * {@link #open} has succeeded, since only then is it authenticated.
     *
     * @throws SecretBoxException.Malformed when {@code sealed} is not a sealed value
     */
    public static String label(String sealed) {
        return Envelope.parse(sealed).label();
    }

    /** Whether {@code text} has the form of a sealed value (says nothing about whether it opens). */
    public static boolean isSealed(String text) {
        try {
            Envelope.parse(text);
            return true;
        } catch (SecretBoxException.Malformed e) {
            return false;
        }
    }

    /** Length-prefixed, so that no (context, label) pair can be confused with another. */
    private static byte[] associatedData(String context, String label) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(AAD_DOMAIN);
        for (String part : new String[] {context, label == null ? "" : label}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        out.write(label == null ? 0 : 1);
        return out.toByteArray();
    }

    private record Envelope(byte[] body, String label) {

        static Envelope parse(String text) {
            if (text == null || !text.startsWith(PREFIX)) {
                throw new SecretBoxException.Malformed("expected the prefix '" + PREFIX + "'");
            }
            String[] parts = text.substring(PREFIX.length()).split(":", -1);
            if (parts.length > 2) {
                throw new SecretBoxException.Malformed("too many ':'-separated parts");
            }
            try {
                byte[] body = Base64.getDecoder().decode(parts[0]);
                if (body.length < NONCE_BYTES + TAG_BYTES) {
                    throw new SecretBoxException.Malformed("too short");
                }
                String label = parts.length == 2
                        ? new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8) : null;
                return new Envelope(body, label);
            } catch (IllegalArgumentException e) {
                throw new SecretBoxException.Malformed("not base64");
            }
        }
    }
}

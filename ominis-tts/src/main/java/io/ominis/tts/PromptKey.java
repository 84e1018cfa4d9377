package io.ominis.tts;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The cache key of a prompt: lower-case hex SHA-256 ({@code ivr_tts_cache.text_hash}) over every setting that
 * changes the audio.
 *
 * <p>The spec hashes {@code text + voice + language + model} concatenated, which is ambiguous ({@code "ab" + "c"}
 * and {@code "a" + "bc"} collide) and leaves out settings that change the sound. This key hashes a version tag and
 * then, in a fixed order, the provider id, model, voice, language, format, speed, instructions and text, each as a
 * 4-byte big-endian length followed by its UTF-8 bytes (length -1 for an absent value), so no two different requests
 * share an encoding. The text is already NFC-normalised and trimmed by {@link SpeechRequest}; the speed is written in
 * its shortest decimal form, so {@code 1.50} and {@code 1.5} are one key.
 */
public final class PromptKey {

    /** Bumped whenever the encoding changes, so old files are never mistaken for new ones. */
    private static final String VERSION = "ominis-tts-key/1";

    private PromptKey() {
    }

    /** The key of {@code request} as synthesized by the provider with id {@code providerId}. */
    public static String of(SpeechRequest request, String providerId) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(providerId, "providerId");
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + request.text().length() * 2);
        field(out, VERSION);
        field(out, providerId);
        field(out, request.model());
        field(out, request.voice());
        field(out, request.language());
        field(out, request.format().wireName());
        field(out, request.speed() == null ? null
                : BigDecimal.valueOf(request.speed()).stripTrailingZeros().toPlainString());
        field(out, request.instructions());
        field(out, request.text());
        return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
    }

    /**
     * The 64-bit number a PostgreSQL advisory lock on this key uses: the first 8 bytes of the digest. Two different
     * prompts share a lock number only with probability 2<sup>-64</sup>, and then merely wait for each other.
     */
    public static long lockNumber(String hash) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hash, 0, 16)).getLong();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

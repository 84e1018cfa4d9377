package io.ominis.core.ivr;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One synthesized prompt in the content-addressed audio cache ({@code ivr_tts_cache} table).
 *
 * @param textHash       lower-case hex SHA-256 over everything that changes the audio
 * @param filePath       where the audio file lives on disk
 * @param fileSizeBytes  size of the file; null when unknown
 * @param accessCount    how often the entry was served, for eviction
 */
public record TtsCacheEntry(
        Integer id,
        String textHash,
        String text,
        String language,
        String voice,
        String model,
        String filePath,
        Integer fileSizeBytes,
        Instant createdAt,
        Instant lastAccessedAt,
        int accessCount) {

    /** A SHA-256 digest in lower-case hex. */
    public static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** Checks every field against the schema's rules and returns this record. */
    public TtsCacheEntry validate() {
        FieldCheck.matches("text_hash", textHash, HASH, "must be 64 lower-case hex digits");
        FieldCheck.multiLine("text", text, 100_000);
        if (text == null) {
            throw new InvalidValueException("text", "is required");
        }
        FieldCheck.matches("language", language, Ivr.LANGUAGE, "must be a language tag such as en");
        FieldCheck.required("voice", voice, 50);
        FieldCheck.required("model", model, 50);
        FieldCheck.required("file_path", filePath, 4096);
        if (fileSizeBytes != null && fileSizeBytes < 0) {
            throw new InvalidValueException("file_size_bytes", "must not be negative");
        }
        if (accessCount < 0) {
            throw new InvalidValueException("access_count", "must not be negative");
        }
        return this;
    }
}

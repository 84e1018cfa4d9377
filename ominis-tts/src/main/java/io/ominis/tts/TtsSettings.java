package io.ominis.tts;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.SettingsReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The TTS settings of a deployment, read from the environment by {@link #fromEnvironment(Map)}.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code OMINIS_TTS_DIR}</td><td>{@code data/tts}</td><td>where audio files are cached; every process that
 * shares the database must see the same files at the same path</td></tr>
 * <tr><td>{@code OMINIS_TTS_BASE_URL}</td><td>{@code https://api.openai.com}</td>
 * <td>an OpenAI-compatible server</td></tr>
 * <tr><td>{@code OMINIS_OPENAI_API_KEY}, else {@code OPENAI_API_KEY}</td><td>none</td><td>the key for IVRs without
 * one of their own</td></tr>
 * <tr><td>{@code OMINIS_TTS_CACHE_BUDGET_BYTES}</td><td>1 GiB</td><td>the cache is evicted down to this size;
 * 0 turns eviction off</td></tr>
 * <tr><td>{@code OMINIS_TTS_FORMAT}</td><td>{@code wav}</td><td>{@code wav}, {@code mp3} or {@code pcm}</td></tr>
 * <tr><td>{@code OMINIS_TTS_CONNECT_TIMEOUT_MS}, {@code OMINIS_TTS_READ_TIMEOUT_MS},
 * {@code OMINIS_TTS_CALL_TIMEOUT_MS}</td><td>5000, 30000, 60000</td><td>timeouts of one attempt</td></tr>
 * <tr><td>{@code OMINIS_TTS_MAX_RETRIES}</td><td>3</td><td>retries after 429, 5xx and I/O failures</td></tr>
 * <tr><td>{@code OMINIS_TTS_HIT_FLUSH_MS}</td><td>10000</td><td>how often counted hits are written</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the key.
 */
public record TtsSettings(
        Path directory,
        String baseUrl,
        String defaultApiKey,
        long budgetBytes,
        SpeechFormat format,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        int maxRetries,
        Duration hitFlushInterval) {

    /** Budget when none is set: 1 GiB, several thousand minutes of speech. */
    public static final long DEFAULT_BUDGET_BYTES = 1L << 30;

    /**
     * Checks every field, with the messages of {@link #fromEnvironment}.
     *
     * @throws ConfigurationException naming the environment variable of the wrong field
     */
    public TtsSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(format, "format");
        if (baseUrl == null || okhttp3.HttpUrl.parse(baseUrl) == null) {
            throw new ConfigurationException("OMINIS_TTS_BASE_URL",
                    "must be an http or https URL, got '" + baseUrl + "'");
        }
        if (budgetBytes < 0) {
            throw new ConfigurationException("OMINIS_TTS_CACHE_BUDGET_BYTES", "must be a number of bytes (0 or more), "
                    + "got '" + budgetBytes + "'");
        }
        SettingsReader.requireMillis("OMINIS_TTS_CONNECT_TIMEOUT_MS", connectTimeout, Duration.ofMillis(100),
                Duration.ofMinutes(2));
        SettingsReader.requireMillis("OMINIS_TTS_READ_TIMEOUT_MS", readTimeout, Duration.ofMillis(100),
                Duration.ofMinutes(10));
        SettingsReader.requireMillis("OMINIS_TTS_CALL_TIMEOUT_MS", callTimeout, Duration.ofMillis(100),
                Duration.ofMinutes(10));
        SettingsReader.requireRange("OMINIS_TTS_MAX_RETRIES", maxRetries, 0, 10);
        SettingsReader.requireMillis("OMINIS_TTS_HIT_FLUSH_MS", hitFlushInterval, Duration.ofMillis(100),
                Duration.ofHours(1));
    }

    /** The defaults of the table above, with no default key. */
    public static TtsSettings defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * Reads the variables of the table above.
     *
     * @throws ConfigurationException naming the first malformed variable
     */
    public static TtsSettings fromEnvironment(Map<String, String> env) {
        SettingsReader r = new SettingsReader(env);
        Path dir;
        try {
            dir = Path.of(r.string("OMINIS_TTS_DIR", "data/tts"));
        } catch (InvalidPathException e) {
            throw new ConfigurationException("OMINIS_TTS_DIR", "is not a valid path: " + e.getReason());
        }
        String baseUrl = r.string("OMINIS_TTS_BASE_URL", OpenAiSpeechProvider.DEFAULT_BASE_URL);
        String key = r.string("OMINIS_OPENAI_API_KEY", r.string("OPENAI_API_KEY"));
        SpeechFormat format;
        try {
            format = SpeechFormat.parse(r.string("OMINIS_TTS_FORMAT", "wav"));
        } catch (RuntimeException e) {
            throw new ConfigurationException("OMINIS_TTS_FORMAT", "must be wav, mp3 or pcm, got '"
                    + r.string("OMINIS_TTS_FORMAT") + "'");
        }
        return new TtsSettings(dir, baseUrl, key,
                bytes(r, "OMINIS_TTS_CACHE_BUDGET_BYTES", DEFAULT_BUDGET_BYTES),
                format,
                r.millis("OMINIS_TTS_CONNECT_TIMEOUT_MS", Duration.ofSeconds(5), Duration.ofMillis(100),
                        Duration.ofMinutes(2)),
                r.millis("OMINIS_TTS_READ_TIMEOUT_MS", Duration.ofSeconds(30), Duration.ofMillis(100),
                        Duration.ofMinutes(10)),
                r.millis("OMINIS_TTS_CALL_TIMEOUT_MS", Duration.ofSeconds(60), Duration.ofMillis(100),
                        Duration.ofMinutes(10)),
                r.integer("OMINIS_TTS_MAX_RETRIES", 3, 0, 10),
                r.millis("OMINIS_TTS_HIT_FLUSH_MS", Duration.ofSeconds(10), Duration.ofMillis(100),
                        Duration.ofHours(1)));
    }

    private static long bytes(SettingsReader r, String name, long fallback) {
        String v = r.string(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name, "must be a number of bytes (0 or more), got '" + v + "'");
    }

    @Override
    public String toString() {
        return "TtsSettings[directory=" + directory + ", baseUrl=" + baseUrl + ", defaultApiKey="
                + (defaultApiKey == null ? "none" : "****") + ", budgetBytes=" + budgetBytes + ", format="
                + format.wireName() + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", callTimeout=" + callTimeout + ", maxRetries=" + maxRetries + ", hitFlushInterval="
                + hitFlushInterval + "]";
    }
}

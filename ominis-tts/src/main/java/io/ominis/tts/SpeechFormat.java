package io.ominis.tts;

import io.ominis.core.InvalidValueException;
import java.util.Locale;

/**
 * The audio formats a prompt may be synthesized in. WAV is the default because FreeSWITCH plays it natively without
 * mod_shout; MP3 needs mod_shout; PCM is raw 24 kHz 16-bit mono, for callers that wrap it themselves. Other formats a
 * provider may offer (opus, aac, flac) are refused: FreeSWITCH cannot play them from an {@code ivr.conf} prompt.
 */
public enum SpeechFormat {
    WAV("wav"),
    MP3("mp3"),
    PCM("pcm");

    private final String wireName;

    SpeechFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The name in OpenAI's {@code response_format} and the cached file's extension. */
    public String wireName() {
        return wireName;
    }

    /**
     * The format named {@code name} ({@code wav}, {@code mp3}, {@code pcm}, any case).
     *
     * @throws InvalidValueException naming {@code response_format} for any other name
     */
    public static SpeechFormat parse(String name) {
        if (name != null) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (SpeechFormat f : values()) {
                if (f.wireName.equals(n)) {
                    return f;
                }
            }
        }
        throw new InvalidValueException("response_format", "must be wav, mp3 or pcm, got '" + name + "'");
    }
}

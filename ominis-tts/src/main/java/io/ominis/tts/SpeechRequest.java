package io.ominis.tts;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.ivr.Ivr;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * What to say and how: everything that changes the audio, and therefore the cache key ({@link PromptKey}).
 *
 * <p>The constructor normalises so that requests that sound the same are equal: {@code text} and
 * {@code instructions} are put in Unicode NFC and trimmed (a blank {@code instructions} becomes null), a null
 * {@code format} becomes {@link SpeechFormat#WAV}, and a {@code speed} of 1.0 (the provider's default) becomes null.
 * It then validates against the schema's and the provider's limits and throws {@link InvalidValueException} naming
 * the field. Components are in the order of {@link #of} and of the {@code ivrs} columns (language, then voice), so
 * both ways of building one read alike.
 *
 * @param text         the words to speak, at most {@value #MAX_TEXT} characters (OpenAI's limit)
 * @param language     the prompt's language tag, e.g. {@code en}; OpenAI infers the language from the text, so it is
 *                     not sent, but it is part of the key because another provider may use it
 * @param voice        the provider's voice name, e.g. {@code alloy}
 * @param model        the provider's model, e.g. {@code tts-1}
 * @param format       the audio container
 * @param speed        0.25 to 4.0, or null for the provider's default
 * @param instructions how to speak (tone, accent) for models that take it, or null
 */
public record SpeechRequest(
        String text,
        String language,
        String voice,
        String model,
        SpeechFormat format,
        Double speed,
        String instructions) {

    /** OpenAI's limit on the input of one speech request, in characters. */
    public static final int MAX_TEXT = 4096;
    /** Voices and models: the same tokens the {@code ivrs} table accepts. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");

    public SpeechRequest {
        text = normalize(text);
        instructions = normalize(instructions);
        if (instructions != null && instructions.isEmpty()) {
            instructions = null;
        }
        format = format == null ? SpeechFormat.WAV : format;
        if (speed != null && speed == 1.0) {
            speed = null;
        }
        if (text == null || text.isEmpty()) {
            throw new InvalidValueException("text", "is required");
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidValueException("text",
                    "must be at most " + MAX_TEXT + " characters, got " + text.length());
        }
        FieldCheck.matches("voice", voice, TOKEN, "must be a voice name such as alloy");
        FieldCheck.matches("language", language, Ivr.LANGUAGE, "must be a language tag such as en or en-US");
        FieldCheck.matches("model", model, TOKEN, "must be a model name such as tts-1");
        if (speed != null && !(speed >= 0.25 && speed <= 4.0)) {
            throw new InvalidValueException("speed", "must be from 0.25 to 4.0, got " + speed);
        }
        if (instructions != null && instructions.length() > MAX_TEXT) {
            throw new InvalidValueException("instructions", "must be at most " + MAX_TEXT + " characters");
        }
    }

    /** A WAV request at the provider's default speed without instructions: what an IVR menu prompt needs. */
    public static SpeechRequest of(String text, String language, String voice, String model) {
        return new SpeechRequest(text, language, voice, model, SpeechFormat.WAV, null, null);
    }

    /** This request in another format. */
    public SpeechRequest withFormat(SpeechFormat newFormat) {
        return new SpeechRequest(text, language, voice, model, newFormat, speed, instructions);
    }

    /** This request at another speed (null for the provider's default). */
    public SpeechRequest withSpeed(Double newSpeed) {
        return new SpeechRequest(text, language, voice, model, format, newSpeed, instructions);
    }

    /** This request with other speaking instructions (null for none). */
    public SpeechRequest withInstructions(String newInstructions) {
        return new SpeechRequest(text, language, voice, model, format, speed, newInstructions);
    }

    private static String normalize(String s) {
        return s == null ? null : Normalizer.normalize(s, Normalizer.Form.NFC).strip();
    }
}

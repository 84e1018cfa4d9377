package io.ominis.xmlcurl;

/**
 * A text an IVR speaks, with everything that changes its audio; the key {@link IvrRenderer} asks its audio lookup
 * for, so a TTS cache can answer with a file it synthesised earlier.
 */
public record Prompt(String text, String language, String voice, String model) {
}

package io.ominis.tts.internal;

import java.util.regex.Pattern;

/** Keeps API keys out of text that reaches logs and exception messages. */
public final class Secrets {

    /**
     * OpenAI-style keys ({@code sk-…}, {@code sk-proj-…}) and bearer tokens as an error body may echo them, even
     * partly masked: OpenAI's 401 text quotes the first and last characters of the refused key.
     */
    private static final Pattern KEY_LIKE = Pattern.compile("(?i)(sk-[A-Za-z0-9_*.\\-]{4,}|bearer\\s+\\S+)");

    private Secrets() {
    }

    /** {@code text} with {@code key} (when given) and anything that looks like a key replaced by {@code ****}. */
    public static String redact(String text, String key) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (key != null && !key.isEmpty()) {
            out = out.replace(key, "****");
        }
        return KEY_LIKE.matcher(out).replaceAll("****");
    }
}

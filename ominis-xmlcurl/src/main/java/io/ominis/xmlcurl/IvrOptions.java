package io.ominis.xmlcurl;

import io.ominis.core.FieldCheck;
import java.util.regex.Pattern;

/**
 * Deployment choices for {@link IvrRenderer}.
 *
 * @param ttsEngine              FreeSWITCH TTS module for {@code say:} prompts that have no cached audio file
 * @param fallbackVoice          voice given to that engine; null to pass the menu's (OpenAI) voice name through, which
 *                               only makes sense for an engine that knows those names
 * @param transferContext        dialplan context of {@code transfer_extension} unless the option's
 *                               {@code action_config.context} names another
 * @param interDigitTimeoutMillis how long to wait between digits of a multi-digit choice
 * @param regexDigitLen          digits to collect for a menu that has a {@code /regex/} choice, whose length FreeSWITCH
 *                               cannot know
 * @param invalidSound           played after an invalid choice when the menu has no {@code invalid_prompt}
 * @param exitSound              played when the caller leaves the menu after too many failures
 */
public record IvrOptions(
        String ttsEngine,
        String fallbackVoice,
        String transferContext,
        int interDigitTimeoutMillis,
        int regexDigitLen,
        String invalidSound,
        String exitSound) {

    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Validates every field. */
    public IvrOptions {
        FieldCheck.matches("tts_engine", ttsEngine, TOKEN, "must be a module name such as flite");
        if (fallbackVoice != null) {
            FieldCheck.matches("fallback_voice", fallbackVoice, TOKEN, "must be a voice name such as kal");
        }
        FieldCheck.matches("transfer_context", transferContext, TOKEN, "must be a dialplan context such as default");
        FieldCheck.range("inter_digit_timeout_millis", interDigitTimeoutMillis, 1, 60_000);
        FieldCheck.range("regex_digit_len", regexDigitLen, 1, 32);
        FieldCheck.required("invalid_sound", invalidSound, 1024);
        FieldCheck.required("exit_sound", exitSound, 1024);
    }

    /**
     * mod_flite with its {@code kal} voice for prompts not yet synthesized (the generated modules.conf loads it),
     * context {@code default}, 2 s between digits, 4 digits for regex choices. Invalid and exit sounds are spoken by
     * flite too: the sample IVR's sound files need the sounds package, which a fresh install does not have.
     */
    public static IvrOptions defaults() {
        return new IvrOptions("flite", "kal", "default", 2000, 4, "say:That was an invalid entry.", "say:Goodbye.");
    }
}

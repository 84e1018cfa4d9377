package io.ominis.core.ivr;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A menu of an IVR ({@code ivr_menus} table): the prompt spoken, how long to wait for digits and how many tries.
 *
 * @param id             surrogate key assigned by the database; null before the menu is stored
 * @param menuId         the menu's name within its IVR, e.g. {@code main_menu}
 * @param ttsVoice       overrides the IVR's default voice; may be null
 * @param timeoutSeconds seconds to wait for the first digit (1–300)
 * @param maxRetries     failures allowed before giving up (1–10)
 */
public record IvrMenu(
        Integer id,
        String ivrName,
        String menuId,
        String promptText,
        String ttsVoice,
        int timeoutSeconds,
        int maxRetries,
        String invalidPrompt,
        Instant createdAt,
        Instant updatedAt) {

    private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");

    /** A new menu with the spec's defaults (5 seconds, 3 retries). */
    public static IvrMenu of(String ivrName, String menuId, String promptText) {
        return new IvrMenu(null, ivrName, menuId, promptText, null, 5, 3, null, null, null);
    }

    /** Checks every field against the schema's rules and returns this record. */
    public IvrMenu validate() {
        FieldCheck.matches("ivr_name", ivrName, Ivr.NAME, "must be an IVR name");
        FieldCheck.matches("menu_id", menuId, IvrActionType.MENU_ID,
                "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (promptText == null || promptText.isBlank()) {
            throw new InvalidValueException("prompt_text", "is required");
        }
        FieldCheck.multiLine("prompt_text", promptText, 4096);
        FieldCheck.noVariables("prompt_text", promptText);
        if (ttsVoice != null) {
            FieldCheck.matches("tts_voice", ttsVoice, VOICE, "must be a voice name such as alloy");
        }
        FieldCheck.range("timeout_seconds", timeoutSeconds, 1, 300);
        FieldCheck.range("max_retries", maxRetries, 1, 10);
        FieldCheck.multiLine("invalid_prompt", invalidPrompt, 4096);
        FieldCheck.noVariables("invalid_prompt", invalidPrompt);
        return this;
    }
}

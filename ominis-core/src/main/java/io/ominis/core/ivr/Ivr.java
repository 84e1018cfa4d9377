package io.ominis.core.ivr;

import io.ominis.core.FieldCheck;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An IVR instance ({@code ivrs} table): its TTS defaults and the pod that serves it. Menus are separate
 * {@link IvrMenu} rows.
 *
 * @param openaiApiKey the stored form of the IVR's OpenAI key; the server stores it encrypted, the SDK treats it as an
 *                     opaque secret. Null when the IVR uses the deployment's default key. Never shown by
 *                     {@link #toString()}.
 * @param rootMenu     the {@code menu_id} of the menu {@code ivr <name>} starts with; null only while the IVR has no
 *                     menu (the first menu added becomes the root)
 */
public record Ivr(
        String name,
        String description,
        String openaiApiKey,
        String defaultLanguage,
        String defaultVoice,
        String ttsModel,
        IvrStatus status,
        String podName,
        String serviceName,
        String rootMenu,
        Instant createdAt,
        Instant updatedAt) {

    /** IVR names become Kubernetes pod names and FreeSWITCH menu prefixes. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** BCP 47-ish language tags such as {@code en} or {@code en-US}. */
    public static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");

    public Ivr {
        defaultLanguage = defaultLanguage == null ? "en" : defaultLanguage;
        defaultVoice = defaultVoice == null ? "alloy" : defaultVoice;
        ttsModel = ttsModel == null ? "tts-1" : ttsModel;
        status = status == null ? IvrStatus.PENDING : status;
    }

    /** An IVR whose root menu is not named (yet); see {@link #rootMenu()}. */
    public Ivr(String name, String description, String openaiApiKey, String defaultLanguage, String defaultVoice,
            String ttsModel, IvrStatus status, String podName, String serviceName, Instant createdAt,
            Instant updatedAt) {
        this(name, description, openaiApiKey, defaultLanguage, defaultVoice, ttsModel, status, podName, serviceName,
                null, createdAt, updatedAt);
    }

    /** A new pending IVR with the spec's TTS defaults (en, alloy, tts-1) and no key of its own. */
    public static Ivr named(String name) {
        return new Ivr(name, null, null, null, null, null, null, null, null, null, null);
    }

    /** Checks every field against the schema's rules and returns this record. */
    public Ivr validate() {
        FieldCheck.matches("name", name, NAME,
                "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        FieldCheck.multiLine("description", description, 10_000);
        FieldCheck.singleLine("openai_api_key", openaiApiKey, 4096);
        FieldCheck.matches("default_language", defaultLanguage, LANGUAGE, "must be a language tag such as en or en-US");
        FieldCheck.matches("default_voice", defaultVoice, TOKEN, "must be a voice name such as alloy");
        FieldCheck.matches("tts_model", ttsModel, TOKEN, "must be a model name such as tts-1");
        FieldCheck.singleLine("pod_name", podName, 255);
        FieldCheck.singleLine("service_name", serviceName, 255);
        if (rootMenu != null) {
            FieldCheck.matches("root_menu", rootMenu, IvrActionType.MENU_ID,
                    "must be the menu_id of one of this IVR's menus");
        }
        return this;
    }

    /** This record with another stored key (already encrypted by the caller, or null to use the default key). */
    public Ivr withOpenaiApiKey(String storedKey) {
        return new Ivr(name, description, storedKey, defaultLanguage, defaultVoice, ttsModel, status, podName,
                serviceName, rootMenu, createdAt, updatedAt);
    }

    /** This record naming another root menu (checked against the IVR's menus when stored). */
    public Ivr withRootMenu(String menuId) {
        return new Ivr(name, description, openaiApiKey, defaultLanguage, defaultVoice, ttsModel, status, podName,
                serviceName, menuId, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "Ivr[name=" + name + ", description=" + description + ", openaiApiKey="
                + (openaiApiKey == null ? "null" : "****") + ", defaultLanguage=" + defaultLanguage
                + ", defaultVoice=" + defaultVoice + ", ttsModel=" + ttsModel + ", status=" + status
                + ", podName=" + podName + ", serviceName=" + serviceName + ", rootMenu=" + rootMenu
                + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + "]";
    }
}

package io.ominis.tts;

/**
 * On whose behalf a prompt is synthesized: the IVR (named in errors and logs) and the API key to bill, which is the
 * IVR's own decrypted key or null for the provider's default key. {@link #toString()} never shows the key.
 *
 * @param ivrName the IVR, or null for requests that belong to none
 * @param apiKey  the decrypted key, or null to use the provider's default key
 */
public record SpeechAccount(String ivrName, String apiKey) {

    /** No IVR, the provider's default key. */
    public static final SpeechAccount DEFAULT = new SpeechAccount(null, null);

    public SpeechAccount {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    /** The IVR {@code ivrName} with its own key ({@code apiKey} null or blank for the default key). */
    public static SpeechAccount of(String ivrName, String apiKey) {
        return new SpeechAccount(ivrName, apiKey);
    }

    @Override
    public String toString() {
        return "SpeechAccount[ivrName=" + ivrName + ", apiKey=" + (apiKey == null ? "default" : "****") + "]";
    }
}

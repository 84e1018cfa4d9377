package io.ominis.tts;

import io.ominis.core.OminisException;

/**
 * Root of everything this module throws about speech synthesis and its cache. Messages name the IVR the prompt
 * belongs to when one was given, and never contain an API key: the provider's own error text is redacted before it
 * is quoted.
 */
public abstract class TtsException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String ivrName;
    private final int httpStatus;

    protected TtsException(String ivrName, int httpStatus, String message, Throwable cause) {
        super(prefix(ivrName) + message, cause);
        this.ivrName = ivrName;
        this.httpStatus = httpStatus;
    }

    /** The IVR whose prompt failed, or null when the request was made without one. */
    public String ivrName() {
        return ivrName;
    }

    /** The provider's HTTP status, or 0 when no response was received (timeout, connection failure, disk). */
    public int httpStatus() {
        return httpStatus;
    }

    private static String prefix(String ivrName) {
        return ivrName == null ? "TTS: " : "TTS for IVR '" + ivrName + "': ";
    }
}

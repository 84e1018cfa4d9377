package io.ominis.tts;

/**
 * The provider refused the request itself (HTTP 400 and other 4xx that are not about the key): an unknown voice or
 * model, a text too long. Retrying the same request cannot succeed, so it is never retried.
 */
public class TtsRejectedException extends TtsException {
    private static final long serialVersionUID = 1L;

    public TtsRejectedException(String ivrName, int httpStatus, String message) {
        super(ivrName, httpStatus, message, null);
    }
}

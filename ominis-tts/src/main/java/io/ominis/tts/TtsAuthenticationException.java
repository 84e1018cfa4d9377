package io.ominis.tts;

/**
 * The provider refused the API key (HTTP 401) or the key may not use this model or voice (HTTP 403). Never retried;
 * the message never contains the key.
 */
public class TtsAuthenticationException extends TtsException {
    private static final long serialVersionUID = 1L;

    public TtsAuthenticationException(String ivrName, int httpStatus, String message) {
        super(ivrName, httpStatus, message, null);
    }
}

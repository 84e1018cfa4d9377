package io.ominis.tts;

/**
 * The provider could not produce the audio right now: rate limited or failing (429, 5xx) after every retry, a
 * timeout, a refused connection, or a response cut short. Retrying later may work; nothing was cached.
 */
public class TtsUnavailableException extends TtsException {
    private static final long serialVersionUID = 1L;

    public TtsUnavailableException(String ivrName, int httpStatus, String message, Throwable cause) {
        super(ivrName, httpStatus, message, cause);
    }
}

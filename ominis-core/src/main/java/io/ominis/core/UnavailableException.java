package io.ominis.core;

/** A dependency (the database, a FreeSWITCH node, a TTS provider) cannot be reached right now; retrying later may work. */
public class UnavailableException extends OminisException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

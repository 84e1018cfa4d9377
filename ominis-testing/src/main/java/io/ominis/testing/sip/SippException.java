package io.ominis.testing.sip;

/** sipp is missing, could not start, or could not bind its ports; the message says which and where its logs are. */
public class SippException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what to do. */
    public SippException(String message) {
        super(message);
    }

    /** An exception with a message and the failure that caused it. */
    public SippException(String message, Throwable cause) {
        super(message, cause);
    }
}

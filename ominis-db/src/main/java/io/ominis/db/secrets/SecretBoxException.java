package io.ominis.db.secrets;

import io.ominis.core.OminisException;

/**
 * A sealed value could not be opened. Messages never quote the value, sealed or not: it may be a secret pasted into
 * the wrong place.
 */
public abstract class SecretBoxException extends OminisException {
    private static final long serialVersionUID = 1L;

    protected SecretBoxException(String message) {
        super(message);
    }

    protected SecretBoxException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The text is not a sealed value of a version this build reads (no key was tried). */
    public static final class Malformed extends SecretBoxException {
        private static final long serialVersionUID = 1L;

        public Malformed(String reason) {
            super("not a sealed secret: " + reason);
        }
    }

    /**
     * Authentication failed: the value was altered, was sealed under another key, or belongs to another context (e.g.
     * another IVR's row). AES-GCM cannot tell these apart, and neither can this exception.
     */
    public static final class Unauthentic extends SecretBoxException {
        private static final long serialVersionUID = 1L;

        public Unauthentic(Throwable cause) {
            super("the sealed secret does not authenticate: altered, sealed under another key, or moved from "
                    + "another context", cause);
        }
    }
}

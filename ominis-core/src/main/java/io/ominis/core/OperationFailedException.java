package io.ominis.core;

import io.ominis.core.OminisException;

/**
 * An operations command could not do its work: a file could not be written, an external tool failed or the target is
 * not in a state the command may change. The message is one line an operator can act on and never holds a secret.
 */
public class OperationFailedException extends OminisException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

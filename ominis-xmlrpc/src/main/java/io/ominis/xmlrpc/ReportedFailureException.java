package io.ominis.xmlrpc;

/**
 * A node's failure as another replica reported it: the reload that covered this request ran there, and only its
 * message travelled (through the shared database), not the original exception.
 */
public final class ReportedFailureException extends FreeSwitchException {
    private static final long serialVersionUID = 1L;

    public ReportedFailureException(String command, String message) {
        super(command, message);
    }
}

package io.ominis.xmlrpc;

/**
 * FreeSWITCH received the command and answered with an error string. The node is reachable, so retrying the same
 * command will not help; the reply says what to change.
 */
public abstract class FreeSwitchReplyException extends FreeSwitchException {
    private static final long serialVersionUID = 1L;

    private final String reply;

    protected FreeSwitchReplyException(String command, String message, String reply) {
        super(command, message);
        this.reply = reply;
    }

    /** The reply exactly as FreeSWITCH sent it, prefix and trailing newline included. */
    public String reply() {
        return reply;
    }
}

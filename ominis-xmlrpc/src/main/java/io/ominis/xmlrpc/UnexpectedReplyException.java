package io.ominis.xmlrpc;

/**
 * FreeSWITCH answered without an error marker, but not in the shape the typed command expects (for example
 * {@code reloadacl} not saying {@code +OK acl reloaded}, or a list whose rows do not match its header).
 */
public class UnexpectedReplyException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    public UnexpectedReplyException(String command, String what, String reply) {
        super(command, command + ": unexpected reply, " + what, reply);
    }
}

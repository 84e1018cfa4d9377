package io.ominis.xmlrpc;

/** The command ran and reported an in-band error: a reply starting {@code -ERR}, e.g. {@code -ERR Agent not found!}. */
public class FreeSwitchErrorException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    private final String error;

    public FreeSwitchErrorException(String command, String error, String reply) {
        super(command, command + " failed: " + error, reply);
        this.error = error;
    }

    /** FreeSWITCH's text without the {@code -ERR} prefix and surrounding whitespace, e.g. {@code Agent not found!}. */
    public String error() {
        return error;
    }
}

package io.ominis.xmlrpc;

/** The command refused its arguments and printed its syntax: a reply starting {@code -USAGE:}. */
public class FreeSwitchUsageException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    private final String usage;

    public FreeSwitchUsageException(String command, String usage, String reply) {
        super(command, command + " usage: " + usage, reply);
        this.usage = usage;
    }

    /** The syntax FreeSWITCH printed, without the {@code -USAGE:} prefix. */
    public String usage() {
        return usage;
    }
}

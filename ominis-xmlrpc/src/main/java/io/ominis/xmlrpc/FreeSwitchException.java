package io.ominis.xmlrpc;

import io.ominis.core.OminisException;

/**
 * Root of everything this module throws about a FreeSWITCH command: either the switch answered with an error
 * ({@link FreeSwitchErrorException} and friends) or the answer never arrived intact ({@link XmlRpcTransportException}).
 */
public abstract class FreeSwitchException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String command;

    protected FreeSwitchException(String command, String message) {
        super(message);
        this.command = command;
    }

    protected FreeSwitchException(String command, String message, Throwable cause) {
        super(message, cause);
        this.command = command;
    }

    /** The API command (first word only, e.g. {@code callcenter_config}) that failed; arguments are left out. */
    public String command() {
        return command;
    }
}

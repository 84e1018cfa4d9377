package io.ominis.xmlrpc;

/**
 * mod_xml_rpc answered {@code UNAUTHORIZED!}: the credentials were accepted but the directory user's
 * {@code http-allowed-api} does not include this command.
 */
public class FreeSwitchUnauthorizedException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    public FreeSwitchUnauthorizedException(String command, String reply) {
        super(command, command + " is not allowed for this XML-RPC user (FreeSWITCH replied UNAUTHORIZED!)", reply);
    }
}

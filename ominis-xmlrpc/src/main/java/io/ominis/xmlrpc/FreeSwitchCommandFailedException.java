package io.ominis.xmlrpc;

/**
 * mod_xml_rpc answered the bare string {@code ERROR!}: the command does not exist (its module is not loaded) or it
 * returned failure. mod_xml_rpc throws away whatever the command printed, so there is no more detail to give.
 */
public class FreeSwitchCommandFailedException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    public FreeSwitchCommandFailedException(String command, String reply) {
        super(command, command + " failed or is not loaded (FreeSWITCH replied ERROR!)", reply);
    }
}

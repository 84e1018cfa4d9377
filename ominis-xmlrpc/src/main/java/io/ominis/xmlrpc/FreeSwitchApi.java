package io.ominis.xmlrpc;

/**
 * Runs one FreeSWITCH API command and returns its text reply. {@link FreeSwitchClient} is the XML-RPC implementation;
 * the typed command classes depend only on this.
 */
@FunctionalInterface
public interface FreeSwitchApi {

    /**
     * Runs {@code command argument} (as typed at {@code fs_cli}, split at the first space) and returns the reply
     * verbatim.
     *
     * @throws FreeSwitchReplyException when FreeSWITCH answers {@code -ERR}, {@code -USAGE:}, {@code ERROR!} or
     *                                  {@code UNAUTHORIZED!}
     * @throws XmlRpcTransportException when no usable answer arrives
     */
    String api(String command, String argument);

    /**
     * Like {@link #api(String, String)} for a command that blocks on purpose (e.g. {@code originate} until answer):
     * the implementation waits up to {@code timeout} instead of its usual bound. The default ignores the hint.
     */
    default String api(String command, String argument, java.time.Duration timeout) {
        return api(command, argument);
    }
}

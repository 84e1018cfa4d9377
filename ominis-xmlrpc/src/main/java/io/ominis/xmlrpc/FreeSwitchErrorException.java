package io.ominis.xmlrpc;

/** The command ran and reported an in-band error: a reply starting {@code -ERR}, e.g. {@code -ERR Agent not found!}. */
public class FreeSwitchErrorException extends FreeSwitchReplyException {
    private static final long serialVersionUID = 1L;

    /** What FreeSWITCH's error says about the command's object, for callers that answer it (e.g. as HTTP 404/409). */
    public enum Kind {
        /** The agent, tier, queue or member named does not exist ({@code -ERR Agent not found!}). */
        NOT_FOUND,
        /** It exists already ({@code -ERR Agent already exists}). */
        ALREADY_EXISTS,
        /** Any other refusal: a bad argument or a state FreeSWITCH does not allow. */
        REFUSED
    }

    private final String error;
    private final Kind kind;

    public FreeSwitchErrorException(String command, String error, String reply) {
        super(command, command + " failed: " + error, reply);
        this.error = error;
        this.kind = kindOf(error);
    }

    /** The kind of refusal; mod_callcenter words its errors this way in 1.10 ({@code mod_callcenter.c}). */
    public Kind kind() {
        return kind;
    }

    private static Kind kindOf(String error) {
        String text = error.toLowerCase(java.util.Locale.ROOT);
        return text.contains("not found") ? Kind.NOT_FOUND
                : text.contains("already exist") ? Kind.ALREADY_EXISTS : Kind.REFUSED;
    }

    /** FreeSWITCH's text without the {@code -ERR} prefix and surrounding whitespace, e.g. {@code Agent not found!}. */
    public String error() {
        return error;
    }
}

package io.ominis.xmlrpc.internal;

import io.ominis.xmlrpc.UnexpectedReplyException;
import java.util.function.Function;

/** Small checks shared by the typed commands on replies that carried no error marker. */
public final class Replies {

    private Replies() {
    }

    /** Requires a reply that is {@code +OK} followed by nothing but {@code rest} (and a line end). */
    public static void requireOk(String command, String reply, String rest) {
        String expected = rest.isEmpty() ? "+OK" : "+OK " + rest;
        if (!reply.strip().equals(expected)) {
            throw new UnexpectedReplyException(command, "expected '" + expected + "'", reply);
        }
    }

    /** Returns what follows {@code +OK } on a one-line reply, e.g. the uuid of {@code +OK <uuid>}. */
    public static String afterOk(String command, String reply, String marker) {
        String line = reply.strip();
        String prefix = "+OK " + marker;
        if (!line.startsWith(prefix) || line.length() == prefix.length() || line.indexOf('\n') >= 0) {
            throw new UnexpectedReplyException(command, "expected '" + prefix + "<value>'", reply);
        }
        return line.substring(prefix.length()).strip();
    }

    /** Runs a parser, reporting its complaint as an {@link UnexpectedReplyException} that keeps the reply. */
    public static <T> T parse(String command, String reply, Function<String, T> parser) {
        try {
            return parser.apply(reply);
        } catch (IllegalArgumentException e) {
            throw new UnexpectedReplyException(command, e.getMessage(), reply);
        }
    }

    /** A bare integer reply such as {@code queue count}'s {@code 3\n}. */
    public static int integer(String command, String reply) {
        return parse(command, reply, text -> {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number");
            }
        });
    }
}

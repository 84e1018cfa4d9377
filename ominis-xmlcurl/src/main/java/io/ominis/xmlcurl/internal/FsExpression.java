package io.ominis.xmlcurl.internal;

/**
 * The only attribute values whose {@code $} reach FreeSWITCH unescaped: our own channel-variable expressions, fixed at
 * compile time. Being an enum is the point: user text cannot become one, and its {@code %s} slots are filled with
 * sanitised, fully escaped text by {@link FsXmlWriter#attribute(String, FsExpression, String...)}.
 */
public enum FsExpression {
    /** The domain-level dial string that makes {@code user/1001@domain} bridging find the registered contact. */
    DIAL_STRING("{presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(${dialed_user}@${dialed_domain})}"),
    /** mod_voicemail's application leaving a message in the caller's own domain for the mailbox {@code %s}. */
    VOICEMAIL_APP("voicemail default ${domain_name} %s"),
    /**
     * A queue's {@code record-template} given as a directory ({@code %s} ends in {@code /}): one file per call, named
     * by the time and the call's uuid, neither of which a caller can choose.
     */
    QUEUE_RECORDING("%s${strftime(%Y-%m-%d-%H-%M-%S)}.${uuid}.wav");

    private final String template;

    FsExpression(String template) {
        if (template.contains("$$")) {
            throw new IllegalArgumentException("an expression must never contain $$: " + template);
        }
        this.template = template;
    }

    /** The template with {@code %s} slots for arguments. */
    public String template() {
        return template;
    }

    /** The template with its {@code $} marked as literal and its slots filled with {@code args}, already sanitised. */
    String expand(String... args) {
        String[] parts = template.split("%s", -1);
        if (parts.length - 1 != args.length) {
            throw new IllegalArgumentException(name() + " takes " + (parts.length - 1) + " arguments, got " + args.length);
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < parts.length; i++) {
            out.append(parts[i].replace('$', DollarEscapingWriter.LITERAL_DOLLAR));
            if (i < args.length) {
                out.append(XmlText.sanitize(args[i]));
            }
        }
        return out.toString();
    }
}

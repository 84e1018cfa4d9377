package io.ominis.xmlcurl.internal;

/**
 * Makes any Java string representable in XML 1.0. Characters XML 1.0 cannot carry at all (C0 controls other than tab,
 * line feed and carriage return, U+FFFE, U+FFFF, unpaired surrogates) are replaced by U+FFFD rather than refused:
 * FreeSWITCH is better served by a visible replacement character than by an error document, and stored data has
 * already been checked by the core's validation, so this only ever fires on data that bypassed it.
 */
final class XmlText {

    /** What every character XML 1.0 cannot carry becomes. */
    static final char REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    /** {@code text} with every character that XML 1.0 cannot carry replaced by {@link #REPLACEMENT}. */
    static String sanitize(String text) {
        int bad = firstUnrepresentable(text);
        if (bad < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, bad);
        for (int i = bad; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(representable(c) ? c : REPLACEMENT);
            }
        }
        return out.toString();
    }

    private static int firstUnrepresentable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (!representable(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A single UTF-16 unit that may stand on its own in an XML 1.0 document. */
    private static boolean representable(char c) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        return !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }
}

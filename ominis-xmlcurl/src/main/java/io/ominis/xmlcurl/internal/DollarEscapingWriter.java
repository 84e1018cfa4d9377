package io.ominis.xmlcurl.internal;

import java.io.IOException;
import java.io.Writer;

/**
 * Woodstox's attribute-value escaper for FreeSWITCH documents. Besides the markup characters it writes every
 * {@code $} as {@code &#36;}, so FreeSWITCH's pre-processor (which expands {@code $${name}} in the raw text before
 * parsing) never sees a dollar sign from a value; the XML parser then turns {@code &#36;} back into {@code $}. Tab, line
 * feed and carriage return become character references because a parser would otherwise normalise them to spaces.
 *
 * <p>U+FFFF, which {@link XmlText#sanitize} removes from every value, is the writer's private marker for a {@code $}
 * that belongs to one of our own {@link FsExpression}s and must reach FreeSWITCH literally.
 */
final class DollarEscapingWriter extends Writer {

    /** Marks a {@code $} of a trusted expression; never present in sanitised text. */
    static final char LITERAL_DOLLAR = '\uFFFF';

    private final Writer out;

    DollarEscapingWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(chars[i]);
        }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(text.charAt(i));
        }
    }

    @Override
    public void write(int c) throws IOException {
        switch (c) {
            case '&' -> out.write("&amp;");
            case '<' -> out.write("&lt;");
            case '>' -> out.write("&gt;");
            case '"' -> out.write("&quot;");
            case '\t' -> out.write("&#9;");
            case '\n' -> out.write("&#10;");
            case '\r' -> out.write("&#13;");
            case '$' -> out.write("&#36;");
            case LITERAL_DOLLAR -> out.write('$');
            default -> out.write(c);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

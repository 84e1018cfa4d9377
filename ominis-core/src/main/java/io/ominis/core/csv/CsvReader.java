package io.ominis.core.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time, so a file of any length is never held in memory: fields separated by
 * commas, quoted with {@code "} when they hold a comma, quote or line break, {@code ""} for a quote inside quotes,
 * records ended by CRLF or LF. A leading byte-order mark is dropped and blank lines are skipped. A record longer than
 * {@link #MAX_RECORD_CHARS} is refused, so an unterminated quote cannot swallow the rest of a large file.
 */
public final class CsvReader {

    /** Most characters one record may have. */
    public static final int MAX_RECORD_CHARS = 64 * 1024;

    /** Most fields one record may have. */
    public static final int MAX_FIELDS = 64;

    private static final int EOF = -1;

    private final Reader in;
    private long line = 1;
    private int pushedBack = Integer.MIN_VALUE;
    private boolean first = true;

    /** Reads from {@code in}, which the caller closes (wrap a stream in a buffered reader). */
    public CsvReader(Reader in) {
        this.in = in;
    }

    /**
     * The next non-blank record, or null at the end.
     *
     * @throws CsvFormatException when the text is broken at this record
     * @throws UncheckedIOException when reading fails
     */
    public CsvRecord next() {
        while (true) {
            long start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int chars = 0;
            int c = read();
            if (c == EOF) {
                return null;
            }
            if (c == '\n') {
                continue;
            }
            if (c == '\r') {
                peekIs('\n');
                continue;
            }
            boolean quoted = false;
            boolean afterQuote = false;
            while (true) {
                if (++chars > MAX_RECORD_CHARS) {
                    throw new CsvFormatException(start, "record longer than " + MAX_RECORD_CHARS
                            + " characters (an unterminated quote?)");
                }
                if (quoted) {
                    if (c == EOF) {
                        throw new CsvFormatException(start, "quoted field not terminated");
                    }
                    if (c == '"') {
                        if (peekIs('"')) {
                            field.append('"');
                        } else {
                            quoted = false;
                            afterQuote = true;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == ',' || c == '\n' || c == '\r' || c == EOF) {
                    fields.add(field.toString());
                    if (fields.size() > MAX_FIELDS) {
                        throw new CsvFormatException(start, "more than " + MAX_FIELDS + " fields");
                    }
                    field.setLength(0);
                    afterQuote = false;
                    if (c == '\r') {
                        peekIs('\n');
                    }
                    if (c != ',') {
                        return new CsvRecord(start, fields);
                    }
                } else if (afterQuote) {
                    throw new CsvFormatException(start, "text after a closing quote");
                } else if (c == '"') {
                    if (field.length() > 0) {
                        throw new CsvFormatException(start, "quote inside an unquoted field");
                    }
                    quoted = true;
                } else {
                    field.append((char) c);
                }
                c = read();
            }
        }
    }

    /** Consumes the next character if it is {@code expected}. */
    private boolean peekIs(char expected) {
        int c = read();
        if (c == expected) {
            return true;
        }
        pushedBack = c;
        if (c == '\n') {
            line--;
        }
        return false;
    }

    private int read() {
        int c;
        if (pushedBack != Integer.MIN_VALUE) {
            c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
        } else {
            try {
                c = in.read();
            } catch (CharacterCodingException e) {
                throw new CsvFormatException(line, "not UTF-8 text");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    return read();
                }
            }
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }
}

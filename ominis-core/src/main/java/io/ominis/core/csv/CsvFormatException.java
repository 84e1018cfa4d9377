package io.ominis.core.csv;

import io.ominis.core.InvalidValueException;

/**
 * The CSV text itself is broken at a line (an unterminated quote, a record too long, text that is not UTF-8), so
 * nothing after that point can be read.
 */
public class CsvFormatException extends InvalidValueException {
    private static final long serialVersionUID = 1L;

    private final long line;

    public CsvFormatException(long line, String reason) {
        super("csv", "line " + line + ": " + reason);
        this.line = line;
    }

    /** The physical line, from 1, where the broken record starts. */
    public long line() {
        return line;
    }
}

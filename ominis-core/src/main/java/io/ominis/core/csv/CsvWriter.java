package io.ominis.core.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/** Writes RFC 4180 CSV one row at a time: CRLF line ends, fields quoted only when they need it. */
public final class CsvWriter {

    private final Writer out;

    /** Writes to {@code out}, which the caller flushes and closes. */
    public CsvWriter(Writer out) {
        this.out = out;
    }

    /** Writes one row; a null field is written empty. @throws UncheckedIOException when writing fails */
    public void row(List<String> fields) {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                String f = fields.get(i);
                if (f == null) {
                    continue;
                }
                if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                    out.write('"');
                    out.write(f.replace("\"", "\"\""));
                    out.write('"');
                } else {
                    out.write(f);
                }
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

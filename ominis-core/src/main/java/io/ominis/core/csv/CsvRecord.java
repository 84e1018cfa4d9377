package io.ominis.core.csv;

import java.util.List;

/**
 * One CSV record.
 *
 * @param line   the physical line, from 1, where it starts (a quoted field may span lines)
 * @param fields its fields, unquoted
 */
public record CsvRecord(long line, List<String> fields) {
    public CsvRecord {
        fields = List.copyOf(fields);
    }
}

package io.ominis.xmlrpc.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads mod_callcenter's list replies: a header line of column names joined by {@code |}, one {@code |}-joined line per
 * row, then {@code +OK}. The header is printed with the first row, so an empty list is just {@code +OK}. Values are
 * kept as FreeSWITCH printed them (empty stays empty); a value that itself contains {@code |} cannot be told apart
 * and makes the row too long, which is reported rather than guessed.
 */
public final class PipeTable {

    private PipeTable() {
    }

    /**
     * Parses the table into rows keyed by column name, in column order.
     *
     * @throws IllegalArgumentException with a short reason when the text is not in that format
     */
    public static List<Map<String, String>> rows(String reply) {
        List<String> lines = new ArrayList<>(List.of(reply.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("+OK")) {
            throw new IllegalArgumentException("the list does not end with +OK");
        }
        lines.remove(lines.size() - 1);
        if (lines.isEmpty()) {
            return List.of();
        }
        String[] header = lines.get(0).split("\\|", -1);
        List<Map<String, String>> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] values = lines.get(i).split("\\|", -1);
            if (values.length != header.length) {
                throw new IllegalArgumentException("row " + i + " has " + values.length + " values for "
                        + header.length + " columns");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], values[c]);
            }
            rows.add(Collections.unmodifiableMap(row));
        }
        return List.copyOf(rows);
    }

    /** A numeric column of a table whose NOT NULL DEFAULT 0 columns may still print empty; empty reads as 0. */
    public static int number(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + column + " is not an integer: '" + value + "'");
        }
    }
}

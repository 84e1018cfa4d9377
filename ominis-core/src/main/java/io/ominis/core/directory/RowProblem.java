package io.ominis.core.directory;

/**
 * Why one row of a bulk import was not written.
 *
 * @param line    the line of the CSV file where the row starts, from 1 (the header is line 1), or the row's index
 *                from 0 in a JSON array
 * @param field   the offending column, or {@code csv} when the text itself is broken
 * @param message what is wrong, never quoting a password
 */
public record RowProblem(long line, String field, String message) {
}

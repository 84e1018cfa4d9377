package io.ominis.core.directory;

/**
 * One row of a bulk import after the rules of {@link ExtensionIntake}: either an extension to store or the problem
 * that keeps it out.
 *
 * @param line      where the row starts in its file (see {@link RowProblem#line})
 * @param extension the validated extension, or null when {@code problem} is set
 * @param problem   why the row cannot be stored, or null
 */
public record ImportRow(long line, Extension extension, RowProblem problem) {
}

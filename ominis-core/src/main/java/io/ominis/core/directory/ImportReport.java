package io.ominis.core.directory;

import java.util.List;

/**
 * What a bulk import did, so far or in the end.
 *
 * @param mode      the conflict mode it ran under
 * @param rows      data rows read
 * @param created   rows stored as new extensions (committed, unless {@code committed} is false)
 * @param updated   existing extensions overwritten ({@link ConflictMode#UPDATE})
 * @param skipped   rows left out because their number was taken ({@link ConflictMode#SKIP})
 * @param failed    rows refused for a problem
 * @param problems  the first {@link #MAX_PROBLEMS} problems, in file order
 * @param committed whether the counted writes are in the database; false when {@link ConflictMode#FAIL} rolled
 *                  everything back
 */
public record ImportReport(ConflictMode mode, long rows, long created, long updated, long skipped, long failed,
        List<RowProblem> problems, boolean committed) {

    /** Most problems a report lists; {@link #failed} counts them all. */
    public static final int MAX_PROBLEMS = 1000;

    public ImportReport {
        problems = List.copyOf(problems);
    }
}

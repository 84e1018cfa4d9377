package io.ominis.core.directory;

import io.ominis.core.OminisException;
import java.util.stream.Collectors;

/**
 * A {@link ConflictMode#FAIL} import was rolled back because some rows have problems; nothing was written. Carries
 * the report, so a client can fix every listed row in one go.
 */
public class ImportRefusedException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final transient ImportReport report;

    public ImportRefusedException(ImportReport report) {
        super(report.failed() + " row(s) refused, nothing written: " + report.problems().stream().limit(5)
                .map(p -> "line " + p.line() + " " + p.field() + ": " + p.message())
                .collect(Collectors.joining("; ")) + (report.failed() > 5 ? "; …" : ""));
        this.report = report;
    }

    /** What the import found. */
    public ImportReport report() {
        return report;
    }
}

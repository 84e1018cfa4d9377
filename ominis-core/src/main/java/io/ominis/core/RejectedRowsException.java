package io.ominis.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A multi-row write was refused as a whole because some rows are bad; nothing was written. Lists every bad row, so a
 * client can fix them all in one go.
 */
public class RejectedRowsException extends OminisException {
    private static final long serialVersionUID = 1L;

    /**
     * One refused row.
     *
     * @param index  position of the row in the request, from 0
     * @param field  the offending field
     * @param reason why it was refused
     */
    public record RowError(int index, String field, String reason) {
    }

    private final transient List<RowError> errors;

    public RejectedRowsException(List<RowError> errors) {
        super(errors.size() + " row(s) refused, nothing written: " + errors.stream().limit(5)
                .map(e -> "[" + e.index() + "] " + e.field() + ": " + e.reason())
                .collect(Collectors.joining("; ")) + (errors.size() > 5 ? "; …" : ""));
        this.errors = List.copyOf(errors);
    }

    /** Every refused row, in request order. */
    public List<RowError> errors() {
        return errors;
    }
}

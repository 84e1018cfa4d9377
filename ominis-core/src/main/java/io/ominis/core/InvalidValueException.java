package io.ominis.core;

import java.util.Objects;

/**
 * A value was refused because it breaks a rule of the domain or a constraint of the schema. Carries the name of the
 * offending field (the database column or JSON property) so that an HTTP layer can point the client at it.
 */
public class InvalidValueException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidValueException(String field, String reason) {
        this(field, reason, null);
    }

    public InvalidValueException(String field, String reason, Throwable cause) {
        super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(reason, "reason"), cause);
        this.field = field;
        this.reason = reason;
    }

    /** The field (column or property name) whose value was refused. */
    public String field() {
        return field;
    }

    /** Why the value was refused, without the field name. */
    public String reason() {
        return reason;
    }
}

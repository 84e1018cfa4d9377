package io.ominis.core;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An enum constant that stands for one exact string of the database or of FreeSWITCH ({@code "On Break"},
 * {@code "Available (On Demand)"}, {@code "transfer_queue"}). The string, not the Java name, is what is stored and sent.
 */
public interface WireValue {

    /** The exact string FreeSWITCH or the schema uses for this constant. */
    String wire();

    /**
     * Parses a string into the constant whose {@link #wire()} equals it, ignoring case as FreeSWITCH does.
     *
     * @throws InvalidValueException naming {@code field} and listing the allowed values when nothing matches
     */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value, String field) {
        Objects.requireNonNull(type, "type");
        if (value != null) {
            for (E constant : type.getEnumConstants()) {
                if (constant.wire().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
        }
        String allowed = Stream.of(type.getEnumConstants())
                .map(WireValue::wire)
                .map(w -> "'" + w + "'")
                .collect(Collectors.joining(", "));
        throw new InvalidValueException(field, "must be one of " + allowed + (value == null ? "" : ", got '" + value + "'"));
    }

    /**
     * Parses a string written by FreeSWITCH, which may hold values newer than this enum knows; those map to
     * {@code fallback} instead of failing a read.
     */
    static <E extends Enum<E> & WireValue> E parseOr(Class<E> type, String value, E fallback) {
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        return fallback;
    }

}

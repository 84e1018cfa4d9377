package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/** Small helpers the DAOs share for reading columns and cutting keyset pages. */
final class Rows {

    private Rows() {
    }

    /** A TIMESTAMPTZ column as an instant; null stays null. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A nullable INTEGER column; {@code getInt} would turn NULL into 0. */
    static Integer integer(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, Integer.class);
    }

    /** Refuses a page size outside 1 to {@code max}, naming the {@code limit} field. */
    static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidValueException("limit", "must be between 1 and " + max + ", got " + limit);
        }
        return limit;
    }

    /**
     * Cuts a page from {@code rows}, which were fetched with {@code LIMIT limit + 1} so that the extra row tells
     * whether another page follows; the cursor is the key of the page's last row.
     */
    static <T, C> Page<T, C> page(List<T> rows, int limit, Function<T, C> cursor) {
        if (rows.size() > limit) {
            List<T> page = rows.subList(0, limit);
            return new Page<>(page, cursor.apply(page.get(page.size() - 1)));
        }
        return new Page<>(rows, null);
    }

    /**
     * The key a cursor carried, checked to have {@code columns} values; an empty list for no cursor (the first
     * page). @throws InvalidValueException naming {@code cursor} for a key of another shape
     */
    static List<String> key(List<String> after, int columns) {
        if (after == null) {
            return List.of();
        }
        // not after.contains(null): an immutable List.of refuses to be asked about null
        if (after.size() != columns || after.stream().anyMatch(java.util.Objects::isNull)) {
            throw badKey();
        }
        return after;
    }

    /** Key value {@code at} as the integer it was written from. @throws InvalidValueException naming {@code cursor} */
    static long keyNumber(List<String> key, int at) {
        if (key.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(key.get(at));
        } catch (NumberFormatException e) {
            throw badKey();
        }
    }

    /** Key value {@code at}, or the empty string on the first page (where the keyset clause is switched off). */
    static String keyText(List<String> key, int at) {
        return key.isEmpty() ? "" : key.get(at);
    }

    private static InvalidValueException badKey() {
        return new InvalidValueException("cursor", "is not a cursor of this listing");
    }
}

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
}

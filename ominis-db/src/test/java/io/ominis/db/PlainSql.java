package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Plain JDBC against a test database, bypassing the DAOs: what psql or a script would do. Used to prove that the
 * schema itself enforces the rules and to look at what a refused write left behind.
 */
final class PlainSql {

    private final OminisDatabase db;

    PlainSql(OminisDatabase db) {
        this.db = db;
    }

    /** Runs one statement in its own connection. */
    void run(String statement) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** The first column of the first row of {@code query} as a long (a count, an id). */
    long number(String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row of {@code query} as an instant. */
    Instant instant(String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** Asserts that the database refuses {@code statement} and names {@code constraint} in the error. */
    void assertRefused(String statement, String constraint) {
        assertThatThrownBy(() -> run(statement)).isInstanceOf(SQLException.class).hasMessageContaining(constraint);
    }

    /** Asserts that {@code call} throws an {@link InvalidValueException} naming {@code field}. */
    static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}

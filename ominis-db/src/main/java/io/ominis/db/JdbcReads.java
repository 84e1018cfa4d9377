package io.ominis.db;

import io.ominis.db.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs a read over plain JDBC, for the few queries on the hottest request paths ({@code /v1/channels…}). Jdbi copies
 * its whole configuration registry once per handle and again per statement and resolves argument factories and row
 * mappers on every execution; for a one-row lookup that cost more CPU than PostgreSQL spent on the query. This does
 * only what the query needs: borrow a pooled connection, prepare (pgjdbc caches the statement per connection and
 * switches to a server-side prepared statement after a few executions, as it does under Jdbi), bind, execute, read.
 *
 * <p>What the Jdbi path gives stays: the execution time is reported to the {@link QueryObserver} under the DAO
 * method's name ({@code ChannelDao.find}), and failures are translated by {@link SqlErrors} into the exceptions of
 * {@code io.ominis.core}.
 */
final class JdbcReads {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Reads the whole result. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private final DataSource dataSource;
    private final QueryObserver observer;

    JdbcReads(DataSource dataSource, QueryObserver observer) {
        this.dataSource = dataSource;
        this.observer = observer;
    }

    /**
     * Runs {@code sql} (positional {@code ?} parameters set by {@code binder}) and returns what {@code reader} makes
     * of its rows.
     *
     * @param name {@code <Dao>.<method>}, the name the query's metrics carry
     */
    <T> T query(String name, String sql, Binder binder, Reader<T> reader) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            long start = System.nanoTime();
            ResultSet rows;
            try {
                rows = statement.executeQuery();
            } catch (SQLException e) {
                observer.executed(name, Duration.ofNanos(System.nanoTime() - start), false);
                throw e;
            }
            observer.executed(name, Duration.ofNanos(System.nanoTime() - start), true);
            try (rows) {
                return reader.read(rows);
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }
}

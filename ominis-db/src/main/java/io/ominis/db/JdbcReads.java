package io.ominis.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.ominis.db.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    /**
     * Bounded reads wait for the pool's connections in arrival order. HikariCP's own hand-off favours the threads that
     * used a connection last: with 24 request threads after 10 connections, a few lookups waited their whole bound
     * while others went through again and again. Null when the pool's size is not known (not HikariCP).
     */
    private final Semaphore turns;

    JdbcReads(DataSource dataSource, QueryObserver observer) {
        this.dataSource = dataSource;
        this.observer = observer;
        this.turns = dataSource instanceof HikariDataSource hikari
                ? new Semaphore(Math.max(1, hikari.getMaximumPoolSize()), true) : null;
    }

    /**
     * Runs {@code sql} (positional {@code ?} parameters set by {@code binder}) and returns what {@code reader} makes
     * of its rows.
     *
     * @param name {@code <Dao>.<method>}, the name the query's metrics carry
     */
    <T> T query(String name, String sql, Binder binder, Reader<T> reader) {
        try (Connection connection = dataSource.getConnection()) {
            return run(connection, name, sql, binder, reader);
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    /**
     * As {@link #query}, but gives up once {@code within} has passed, on the caller's own thread: waiting for a
     * pooled connection is bounded by what is left of it, and so is every read from the database's socket (a read
     * that times out makes the driver close the connection, and the pool replaces it). For a request that must be
     * answered within a bound whatever the database does, without handing the query to another thread.
     *
     * @throws io.ominis.core.UnavailableException when the bound passed or the database failed
     */
    <T> T query(String name, String sql, Binder binder, Reader<T> reader, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        boolean turn = false;
        try {
            if (turns != null) {
                turn = turns.tryAcquire(within.toNanos(), TimeUnit.NANOSECONDS);
                if (!turn) {
                    throw new SQLTransientConnectionException("no pooled connection within " + within.toMillis()
                            + " ms");
                }
            }
            try (Connection connection = borrow(millisLeft(deadline))) {
                connection.setNetworkTimeout(Runnable::run, (int) millisLeft(deadline));
                return run(connection, name, sql, binder, reader);
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.translate(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SqlErrors.translate(new SQLTransientConnectionException("interrupted while waiting for a connection"));
        } finally {
            if (turn) {
                turns.release();
            }
        }
    }

    private static long millisLeft(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    /** A pooled connection within {@code millis}; HikariCP's own wait is otherwise its pool-wide connection timeout. */
    private Connection borrow(long millis) throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
            return pool.getConnection(millis);
        }
        return dataSource.getConnection();
    }

    private <T> T run(Connection connection, String name, String sql, Binder binder, Reader<T> reader)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
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
        }
    }
}

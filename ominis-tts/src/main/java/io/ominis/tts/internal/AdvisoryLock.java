package io.ominis.tts.internal;

import io.ominis.core.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own, so every process that shares the database
 * synthesizes a given prompt one at a time. Closing unlocks before the connection goes back to its pool: a pooled
 * connection would otherwise keep the lock for as long as the pool keeps the connection.
 */
public final class AdvisoryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);

    private final Connection connection;
    private final long number;

    private AdvisoryLock(Connection connection, long number) {
        this.connection = connection;
        this.number = number;
    }

    /** Waits for and takes the lock {@code number}. */
    public static AdvisoryLock acquire(DataSource dataSource, long number) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new UnavailableException("database: no connection for the TTS synthesis lock: " + e.getMessage(), e);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, number);
            ps.execute();
            return new AdvisoryLock(c, number);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new UnavailableException("database: cannot take the TTS synthesis lock: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, number);
            ps.execute();
        } catch (SQLException e) {
            // A connection that cannot unlock is most likely dead, and a dead session holds no locks.
            LOG.warn("could not release TTS synthesis lock {}: {}", number, e.getMessage());
            abort();
        } finally {
            closeQuietly(connection);
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("abort after failed unlock failed too", e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a lock connection failed", e);
        }
    }
}

package io.ominis.db;

import io.ominis.db.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Cluster-wide work that one run does for every request made before it started, shared by the server replicas of one
 * database (table {@code ominis_runs}): a burst of requests on any number of replicas costs one run. A request takes a
 * {@link #ticket()} after its change commits; {@link #covering} serializes the replicas' runs of one kind on a
 * transaction advisory lock and, under it, either finds that a run started after the ticket (its outcome is the
 * answer) or runs the work itself and records its start and outcome for the others.
 *
 * <p>Tickets are transaction ids ({@code pg_current_xact_id()}), which PostgreSQL hands out in order: a run whose
 * transaction got its id after a request's ticket started after that request's change was committed. When the
 * database cannot be asked, nothing is shared and the work simply runs (a repeated reload is harmless, a missed one is
 * not).
 */
public final class CoveringRuns {

    /** The first half of every lock key of this class (the second is the run's name). */
    static final int LOCK_CLASS = 0x6f6d7275;

    private final DataSource dataSource;
    private final String replica;
    private final Duration lockTimeout;

    /**
     * @param replica     this replica's name, recorded with the runs it does
     * @param lockTimeout longest a replica waits for another's run of the same kind before running its own
     */
    public CoveringRuns(DataSource dataSource, String replica, Duration lockTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /** What {@link #covering} answered, and whether the work ran here. */
    public record Covered(String outcome, boolean ranHere) {
    }

    /**
     * A ticket for a request whose change is committed, or {@link Long#MAX_VALUE} (covered by no earlier run, so the
     * work will run) when the database does not answer.
     */
    public long ticket() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The outcome of a run of {@code name} that started after {@code ticket}: a recorded one, or {@code work}'s, run
     * now (and recorded). {@code work} returns the outcome as JSON text; it runs while this replica holds the lock, so
     * the others wait for it rather than repeat it.
     */
    public Covered covering(String name, long ticket, Supplier<String> work) {
        Objects.requireNonNull(work, "work");
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("run names are lower-case identifiers, got " + name);
        }
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            return new Covered(work.get(), true);
        }
        try (c) {
            c.setAutoCommit(false);
            long started;
            try {
                try (PreparedStatement st = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                    st.setString(1, lockTimeout.toMillis() + "ms");
                    st.execute();
                }
                try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                    st.setInt(1, LOCK_CLASS);
                    st.setInt(2, Leadership.keyOf(name));
                    st.execute();
                }
                try (PreparedStatement st = c.prepareStatement("""
                        SELECT started_ticket, outcome::text
                          FROM ominis_runs
                         WHERE name = ?
                        """)) {
                    st.setString(1, name);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next() && rs.getLong(1) > ticket && rs.getString(2) != null) {
                            String outcome = rs.getString(2);
                            c.commit();
                            return new Covered(outcome, false);
                        }
                    }
                }
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
                    rs.next();
                    started = rs.getLong(1);
                }
            } catch (SQLException e) {
                rollback(c);
                // no lock, or no database: run unshared rather than not at all
                return new Covered(work.get(), true);
            }
            String outcome = work.get();
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO ominis_runs (name, started_ticket, replica, outcome)
                    VALUES (?, ?, ?, ?::jsonb)
                    ON CONFLICT (name) DO UPDATE
                       SET started_ticket = EXCLUDED.started_ticket,
                           started_at = now(),
                           replica = EXCLUDED.replica,
                           outcome = EXCLUDED.outcome
                    """)) {
                st.setString(1, name);
                st.setLong(2, started);
                st.setString(3, replica);
                st.setString(4, outcome);
                st.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                // the run happened; only sharing its outcome failed, and the others will run their own
                rollback(c);
            }
            return new Covered(outcome, true);
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it is all that is left
        }
    }
}

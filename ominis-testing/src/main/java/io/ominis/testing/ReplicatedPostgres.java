package io.ominis.testing;

import io.ominis.testing.freeswitch.internal.FreePorts;
import io.ominis.testing.internal.LocalCluster;
import io.ominis.testing.internal.TemplateDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real PostgreSQL primary and a streaming standby on this machine for one test class:
 * {@code initdb} for the primary, {@code pg_basebackup} for the standby, both on free loopback ports with their data
 * in a temporary directory, so failover can be tested against the real thing. The main server on 5432 is never used.
 *
 * <pre>{@code
 * class FailoverTest {
 *     @RegisterExtension
 *     static final ReplicatedPostgres pg = ReplicatedPostgres.builder().synchronous(true).migrated().build();
 *
 *     @Test
 *     void survivesPromotion() {
 *         String url = pg.multiHostJdbcUrl();   // jdbc:postgresql://127.0.0.1:p1,127.0.0.1:p2/ominis
 *         pg.primary().kill();
 *         pg.standby().promote();
 *     }
 * }
 * }</pre>
 *
 * <p>The programs come from {@code /usr/lib/postgresql/15/bin} ({@code OMINIS_PG_BIN} overrides it). PostgreSQL
 * refuses to run as root, so a JVM running as root runs them as the {@code postgres} OS user. Both servers are
 * stopped and their files deleted after the class, and also when the JVM exits first (a shutdown hook), so an
 * aborted run leaves no server behind. Authentication is {@code trust} on 127.0.0.1 as user {@code postgres}.
 */
public final class ReplicatedPostgres implements BeforeAllCallback, AfterAllCallback {

    /** The {@code application_name} the standby streams as, the name {@code synchronous_standby_names} lists. */
    public static final String STANDBY_NAME = "standby1";

    /** The database {@link Builder#migrated()} creates. */
    public static final String DATABASE = "ominis";

    private final boolean synchronous;
    private final List<String> migrations;

    private Path root;
    private Node primary;
    private Node standby;
    private Thread reaper;

    private ReplicatedPostgres(Builder builder) {
        this.synchronous = builder.synchronous;
        this.migrations = List.copyOf(builder.migrations);
    }

    /** Starts describing a primary and standby pair. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Creates and starts both servers (what {@link #beforeAll} does): the primary, the {@code ominis} database
     * migrated when asked, then the standby from a base backup, and waits until it streams (and, with synchronous
     * replication, until the primary counts it as its synchronous standby).
     */
    public synchronized void start() {
        if (primary != null) {
            throw new IllegalStateException("already started");
        }
        Path bin = LocalCluster.binaries();
        root = LocalCluster.scratchDirectory("ominis-repl");
        reaper = new Thread(this::close, "ominis-replicated-postgres-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            int[] ports = FreePorts.pick(2);
            LocalCluster first = LocalCluster.initPrimary(bin, root, "primary", ports[0]);
            first.start();
            primary = new Node(first);
            if (!migrations.isEmpty()) {
                primary.execute("postgres", "CREATE DATABASE " + DATABASE);
                TemplateDatabases.migrate(first.jdbcUrl(DATABASE), "postgres", null, migrations);
            }
            LocalCluster second = LocalCluster.baseBackup(first, STANDBY_NAME, ports[1]);
            second.start();
            standby = new Node(second);
            if (synchronous) {
                // only now: a synchronous primary without its standby makes every commit wait (the standby's own
                // copy of the setting stays empty, so after a promotion it does not wait for a standby it lacks)
                primary.execute("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY_NAME + "'");
                primary.execute("postgres", "SELECT pg_reload_conf()");
            }
            awaitStreaming(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops both servers at once (immediate shutdown) and deletes their files. Safe to call more than once. */
    public synchronized void close() {
        for (Node node : new Node[] {standby, primary}) {
            if (node != null) {
                try {
                    node.kill();
                } catch (RuntimeException e) {
                    // best effort: the directory is deleted regardless
                }
            }
        }
        LocalCluster.deleteTree(root);
        root = null;
        if (reaper != null && Thread.currentThread() != reaper) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
        reaper = null;
    }

    /** The server that was created as the primary (it stays this node after a failover, even when stopped). */
    public Node primary() {
        return Objects.requireNonNull(primary, "not started; register the extension with @RegisterExtension");
    }

    /** The server that was created as the standby (a primary itself once {@link Node#promote() promoted}). */
    public Node standby() {
        return Objects.requireNonNull(standby, "not started; register the extension with @RegisterExtension");
    }

    /** Whether every commit on the primary waits for the standby to have it (synchronous replication). */
    public boolean synchronous() {
        return synchronous;
    }

    /**
     * A JDBC URL naming both servers with {@code targetServerType=primary}, so that pgjdbc connects only to whichever
     * is writable: {@code jdbc:postgresql://127.0.0.1:p1,127.0.0.1:p2/ominis?targetServerType=primary}.
     */
    public String multiHostJdbcUrl() {
        return "jdbc:postgresql://" + hosts() + "/" + DATABASE + "?targetServerType=primary";
    }

    /** The same as a {@code DB_DSN}: {@code postgresql://postgres@127.0.0.1:p1,127.0.0.1:p2/ominis}. */
    public String multiHostDsn() {
        return "postgresql://postgres@" + hosts() + "/" + DATABASE;
    }

    private String hosts() {
        return "127.0.0.1:" + primary().port() + ",127.0.0.1:" + standby().port();
    }

    /**
     * Waits until the standby streams from the primary: {@code pg_stat_replication} lists it as {@code streaming}
     * (and {@code sync} with synchronous replication).
     */
    public void awaitStreaming(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no row in pg_stat_replication";
        while (System.nanoTime() < deadline) {
            try (Connection c = primary().connect("postgres");
                    PreparedStatement st = c.prepareStatement(
                            "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = ?")) {
                st.setString(1, STANDBY_NAME);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        last = rs.getString(1) + "/" + rs.getString(2);
                        if ("streaming".equals(rs.getString(1)) && (!synchronous || "sync".equals(rs.getString(2)))) {
                            return;
                        }
                    }
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            sleep(100);
        }
        throw new IllegalStateException("the standby did not start streaming within " + timeout + ": " + last);
    }

    /**
     * Waits until the standby has replayed everything the primary has written so far (its replay position reaches
     * the primary's current WAL position), e.g. before reading on the standby what was written on the primary.
     */
    public void awaitReplayed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection p = primary().connect("postgres"); Statement st = p.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            String target = rs.getString(1);
            while (System.nanoTime() < deadline) {
                try (Connection s = standby().connect("postgres");
                        PreparedStatement q = s.prepareStatement(
                                "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                    q.setString(1, target);
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next() && r.getBoolean(1)) {
                            return;
                        }
                    }
                }
                sleep(50);
            }
            throw new IllegalStateException("the standby did not replay up to " + target + " within " + timeout);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compare WAL positions: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One of the two servers: where it listens, how to reach it, and what a test may do to it. */
    public static final class Node {

        private final LocalCluster cluster;

        Node(LocalCluster cluster) {
            this.cluster = cluster;
        }

        /** Always 127.0.0.1. */
        public String host() {
            return "127.0.0.1";
        }

        /** The loopback port it listens on. */
        public int port() {
            return cluster.port();
        }

        /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
        public String jdbcUrl(String database) {
            return cluster.jdbcUrl(database);
        }

        /** A new connection as {@code postgres} to {@code database} on this server only; the caller closes it. */
        public Connection connect(String database) throws SQLException {
            return cluster.connect(database);
        }

        /** Runs one statement (no result) on {@code database} of this server. */
        public void execute(String database, String sql) {
            try (Connection c = connect(database); Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " on " + cluster.name() + ": " + e.getMessage(), e);
            }
        }

        /** Whether this server is a standby now ({@code pg_is_in_recovery()}). */
        public boolean inRecovery() {
            try (Connection c = connect("postgres"); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot ask " + cluster.name() + ": " + e.getMessage(), e);
            }
        }

        /** Promotes a standby to primary and waits until it accepts writes. */
        public void promote() {
            cluster.promote();
        }

        /** A clean shutdown ({@code pg_ctl stop -m fast}). */
        public void stop() {
            cluster.stop();
        }

        /** SIGKILL to the server and all its processes: the machine died. */
        public void kill() {
            cluster.kill();
        }

        /** Starts it again after {@link #stop()} or {@link #kill()}, as it was (crash recovery if killed). */
        public void start() {
            cluster.start();
        }

        /** Whether its postmaster is alive. */
        public boolean running() {
            return cluster.running();
        }

        /** Its data directory. */
        public Path dataDirectory() {
            return cluster.dataDirectory();
        }

        /** Its log file, to attach to a failure. */
        public Path logFile() {
            return cluster.logFile();
        }

        @Override
        public String toString() {
            return cluster.name() + "@127.0.0.1:" + port();
        }
    }

    /** Describes the pair before it starts. */
    public static final class Builder {

        private boolean synchronous;
        private List<String> migrations = List.of();

        private Builder() {
        }

        /**
         * With {@code true}, the primary lists the standby in {@code synchronous_standby_names}: a commit returns only
         * once the standby has it, so a promotion loses no acknowledged write. Default: asynchronous.
         */
        public Builder synchronous(boolean on) {
            this.synchronous = on;
            return this;
        }

        /** Creates the {@code ominis} database on the primary, migrated from {@code classpath:db/migration}. */
        public Builder migrated() {
            return migrated("classpath:db/migration");
        }

        /** Creates the {@code ominis} database on the primary, migrated from the given Flyway locations. */
        public Builder migrated(String... flywayLocations) {
            if (flywayLocations.length == 0) {
                throw new IllegalArgumentException("name at least one Flyway location");
            }
            this.migrations = List.of(flywayLocations);
            return this;
        }

        public ReplicatedPostgres build() {
            return new ReplicatedPostgres(this);
        }
    }
}

package io.ominis.testing;

import io.ominis.testing.freeswitch.internal.FreePorts;
import io.ominis.testing.internal.LocalCluster;
import io.ominis.testing.internal.TemplateDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one PostgreSQL cluster of its own for a test class, for tests that must change
 * server settings, restart the server or start a second cluster from files (backup and point-in-time recovery):
 * the same machinery as {@link ReplicatedPostgres} ({@code initdb} and {@code pg_ctl} as the {@code postgres} OS user,
 * a free loopback port, a temporary directory the {@code postgres} user owns), without a standby.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final StandalonePostgres pg = StandalonePostgres.migrated();
 * ...
 * Path copy = pg.scratch().resolve("restored");        // e.g. where a restore writes a data directory
 * ReplicatedPostgres.Node restored = pg.startCopy(copy); // started on another free port, stopped after the class
 * }</pre>
 *
 * <p>Every cluster it started is killed and the directory deleted after the class, and also by a shutdown hook when
 * the JVM exits first.
 */
public final class StandalonePostgres implements BeforeAllCallback, AfterAllCallback {

    /** The database {@link #migrated()} creates. */
    public static final String DATABASE = ReplicatedPostgres.DATABASE;

    private final List<String> migrations;
    private final List<ReplicatedPostgres.Node> copies = new ArrayList<>();
    private Path root;
    private Path bin;
    private ReplicatedPostgres.Node server;
    private Thread reaper;

    private StandalonePostgres(List<String> migrations) {
        this.migrations = List.copyOf(migrations);
    }

    /** A cluster with the {@code ominis} database migrated from {@code classpath:db/migration}. */
    public static StandalonePostgres migrated() {
        return new StandalonePostgres(List.of("classpath:db/migration"));
    }

    /** A cluster with only the built-in databases. */
    public static StandalonePostgres empty() {
        return new StandalonePostgres(List.of());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Creates and starts the cluster (what {@link #beforeAll} does), migrating {@code ominis} when asked. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        bin = LocalCluster.binaries();
        root = LocalCluster.scratchDirectory("ominis-pg");
        reaper = new Thread(this::close, "ominis-standalone-postgres-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            LocalCluster cluster = LocalCluster.initPrimary(bin, root, "main", FreePorts.pick(1)[0]);
            cluster.start();
            server = new ReplicatedPostgres.Node(cluster);
            if (!migrations.isEmpty()) {
                server.execute("postgres", "CREATE DATABASE " + DATABASE);
                TemplateDatabases.migrate(cluster.jdbcUrl(DATABASE), "postgres", null, migrations);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The cluster. */
    public ReplicatedPostgres.Node server() {
        return Objects.requireNonNull(server, "not started; register the extension with @RegisterExtension");
    }

    /**
     * The temporary directory the {@code postgres} OS user owns: the cluster's data directory, log and Unix socket
     * are in it, and a test may put a backup repository or a restored data directory there too.
     */
    public Path scratch() {
        return Objects.requireNonNull(root, "not started");
    }

    /** The directory of the cluster's Unix socket ({@code -k}). */
    public Path socketDirectory() {
        return scratch();
    }

    /**
     * Starts a second cluster on the data directory {@code dataDir} (e.g. one a restore wrote) on a free loopback
     * port and waits until it accepts connections, which after a restore means recovery has ended.
     */
    public synchronized ReplicatedPostgres.Node startCopy(Path dataDir) {
        String name = dataDir.getFileName().toString();
        LocalCluster cluster = LocalCluster.existing(bin, scratch(), name, dataDir, FreePorts.pick(1)[0]);
        ReplicatedPostgres.Node node = new ReplicatedPostgres.Node(cluster);
        copies.add(node);
        cluster.start();
        return node;
    }

    /** Kills every cluster it started and deletes the directory. Safe to call more than once. */
    public synchronized void close() {
        List<ReplicatedPostgres.Node> all = new ArrayList<>(copies);
        if (server != null) {
            all.add(server);
        }
        for (ReplicatedPostgres.Node node : all) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                // best effort: the directory is deleted regardless
            }
        }
        copies.clear();
        server = null;
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
}

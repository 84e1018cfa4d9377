package io.ominis.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ominis.testing.internal.PostgresServer;
import io.ominis.testing.internal.TemplateDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that hands each test class its own PostgreSQL database, migrated with the Flyway scripts on the
 * classpath ({@code classpath:db/migration}, shipped by {@code ominis-db}) and dropped after the class.
 *
 * <pre>{@code
 * class ExtensionDaoTest {
 *     @RegisterExtension
 *     static final OminisDatabase db = OminisDatabase.migrated();
 *
 *     @Test
 *     void stores() {
 *         Database database = Database.create(db.dataSource());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The server is found in this order: {@code OMINIS_TEST_DB_URL} (a PostgreSQL URL of a server where tests may
 * create databases, e.g. {@code postgresql://postgres:secret@db:5432/postgres}); PostgreSQL on 127.0.0.1:5432 as
 * user {@code postgres} if it answers; a Testcontainers PostgreSQL if Testcontainers is on the class path and Docker
 * runs; otherwise the class fails with a message saying how to provide one. Migrated databases are cloned from a
 * template that is built once per set of migrations, so a new database costs a file copy, not a migration run.
 */
public final class OminisDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OminisDatabase.class);

    private final List<String> locations;
    private final int poolSize;

    private PostgresServer server;
    private String databaseName;
    private HikariDataSource dataSource;
    private final List<String> scratchDatabases = new java.util.concurrent.CopyOnWriteArrayList<>();

    private OminisDatabase(List<String> locations, int poolSize) {
        this.locations = List.copyOf(locations);
        this.poolSize = poolSize;
    }

    /** A database with every migration of {@code classpath:db/migration} applied. */
    public static OminisDatabase migrated() {
        return new OminisDatabase(List.of("classpath:db/migration"), 8);
    }

    /** A database migrated from the given Flyway locations, e.g. ours plus an application's own. */
    public static OminisDatabase migrated(String... flywayLocations) {
        if (flywayLocations.length == 0) {
            throw new IllegalArgumentException("name at least one Flyway location");
        }
        return new OminisDatabase(List.of(flywayLocations), 8);
    }

    /** An empty database, for tests of migration itself. */
    public static OminisDatabase empty() {
        return new OminisDatabase(List.of(), 8);
    }

    /** The same extension with another maximum pool size for {@link #dataSource()}. */
    public OminisDatabase withPoolSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        return new OminisDatabase(locations, size);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        server = root.computeIfAbsent(PostgresServer.class, k -> PostgresServer.locate(), PostgresServer.class);
        TemplateDatabases templates = root.computeIfAbsent(TemplateDatabases.class,
                k -> new TemplateDatabases(server), TemplateDatabases.class);

        String owner = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        databaseName = ("ot_" + owner).substring(0, Math.min(40, owner.length() + 3)) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (locations.isEmpty()) {
            server.createDatabase(databaseName, null);
        } else {
            server.createDatabase(databaseName, templates.templateFor(locations));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setPoolName("test-" + databaseName);
        dataSource = new HikariDataSource(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (dataSource != null) {
            dataSource.close();
        }
        scratchDatabases.forEach(server::dropDatabase);
        if (databaseName != null) {
            server.dropDatabase(databaseName);
        }
    }

    /** A small connection pool on this class's database. */
    public DataSource dataSource() {
        return Objects.requireNonNull(dataSource, "the extension has not started; register it with @RegisterExtension on a static field");
    }

    /** Opens a connection outside the pool; the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** The JDBC URL of this class's database. */
    public String jdbcUrl() {
        return server.jdbcUrl(databaseName);
    }

    /** The name of this class's database. */
    public String databaseName() {
        return databaseName;
    }

    /** The login role. */
    public String user() {
        return server.user();
    }

    /** The login password, or null when the server needs none. */
    public String password() {
        return server.password();
    }

    /** Host name or address of the server. */
    public String host() {
        return server.host();
    }

    /** Port of the server. */
    public int port() {
        return server.port();
    }

    /**
     * Creates another empty database on the same server (dropped with this class's), for tests that need several.
     *
     * @return its JDBC URL
     */
    public String createScratchDatabase(String suffix) {
        String name = databaseName + "_" + suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        server.createDatabase(name, null);
        scratchDatabases.add(name);
        return server.jdbcUrl(name);
    }
}

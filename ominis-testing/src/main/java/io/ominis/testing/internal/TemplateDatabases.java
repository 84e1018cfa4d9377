package io.ominis.testing.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Migrated template databases, one per set of Flyway locations and migration checksums. Building a template runs the
 * migrations once; every test class then gets a copy ({@code CREATE DATABASE … TEMPLATE}), which takes milliseconds.
 * A PostgreSQL advisory lock keeps parallel test JVMs from building the same template twice.
 */
public final class TemplateDatabases {

    /** Arbitrary, fixed: the advisory lock key for building templates. */
    private static final long LOCK_KEY = 0x6f6d696e69730001L;

    static final String HISTORY_TABLE = "ominis_schema_history";

    private final PostgresServer server;
    private final Map<String, String> byLocations = new ConcurrentHashMap<>();

    public TemplateDatabases(PostgresServer server) {
        this.server = server;
    }

    /** The name of a migrated template for {@code locations}, built if it does not exist yet. */
    public synchronized String templateFor(List<String> locations) {
        return byLocations.computeIfAbsent(String.join(",", locations), k -> build(locations));
    }

    private String build(List<String> locations) {
        String name = "ominis_tpl_" + fingerprint(locations);
        try (Connection admin = server.connect(server.adminDatabase())) {
            try (PreparedStatement lock = admin.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                lock.execute();
            }
            try {
                if (!exists(admin, name)) {
                    String building = name + "_new";
                    server.dropDatabase(building);
                    server.createDatabase(building, null);
                    migrate(server.jdbcUrl(building), server.user(), server.password(), locations);
                    // Renaming only after a complete migration means no half-built template is ever used.
                    server.execute(server.adminDatabase(), "ALTER DATABASE " + building + " RENAME TO " + name);
                }
            } finally {
                try (PreparedStatement unlock = admin.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, LOCK_KEY);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the test template database: " + e.getMessage(), e);
        }
        return name;
    }

    /**
     * Migrates the database at {@code jdbcUrl} from {@code locations} with the same history table and baseline as
     * {@code io.ominis.db.Migrations}, so that migrating it again finds nothing to do.
     */
    public static void migrate(String jdbcUrl, String user, String password, List<String> locations) {
        Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(locations.toArray(String[]::new))
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholderReplacement(false)
                .load()
                .migrate();
    }

    private static boolean exists(Connection admin, String name) throws SQLException {
        try (PreparedStatement st = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Changes whenever a migration is added, removed or edited, so a stale template is never reused. */
    private String fingerprint(List<String> locations) {
        Flyway resolver = Flyway.configure()
                .dataSource(server.jdbcUrl(server.adminDatabase()), server.user(), server.password())
                .locations(locations.toArray(String[]::new))
                .table(HISTORY_TABLE)
                .placeholderReplacement(false)
                .load();
        StringBuilder all = new StringBuilder(String.join(",", locations)).append('\n');
        for (MigrationInfo info : resolver.info().all()) {
            all.append(info.getVersion()).append(' ').append(info.getScript()).append(' ')
                    .append(info.getChecksum()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

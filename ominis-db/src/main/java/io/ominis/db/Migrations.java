package io.ominis.db;

import io.ominis.core.UnavailableException;
import io.ominis.db.internal.SqlErrors;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Ominis's schema ({@code classpath:db/migration}) to a database. Safe to call on every start: a migrated
 * database is left alone, and two processes migrating at once serialise on a PostgreSQL advisory lock (Flyway's), so
 * both end well. A database that FreeSWITCH already populated is adopted: its tables are kept, ours are added.
 *
 * <p>History is kept in {@code ominis_schema_history}, so an application's own Flyway history does not collide.
 */
public final class Migrations {

    /** Where our scripts live on the class path. */
    public static final String LOCATION = "classpath:db/migration";
    /** The Flyway history table. */
    public static final String HISTORY_TABLE = "ominis_schema_history";

    private Migrations() {
    }

    /**
     * One applied migration.
     *
     * @param version     e.g. {@code 4}
     * @param description e.g. {@code ominis tables}
     * @param script      the script's file name
     * @param duration    how long it took
     */
    public record AppliedMigration(String version, String description, String script, Duration duration) {
    }

    /**
     * What a run did.
     *
     * @param applied       the migrations this run applied, in order; empty when the schema was current
     * @param schemaVersion the schema version after the run
     */
    public record Result(List<AppliedMigration> applied, String schemaVersion) {
        public Result {
            applied = List.copyOf(applied);
        }
    }

    /** Applies every pending migration, seeding {@code trusted_users} as the spec does. */
    public static Result migrate(DataSource dataSource) {
        return migrate(dataSource, true);
    }

    /**
     * Applies every pending migration. With {@code seedTrustedUsers} false, a database created now gets no seed rows
     * in {@code acl_entries} (the spec's {@code trusted_users}: 10.42.0.0/16 and 10.43.0.0/16, a Kubernetes
     * cluster's pod and service networks, and 127.0.0.1/32): they are removed in the same transaction that creates
     * the table. A database migrated earlier keeps whatever its rows are now.
     */
    public static Result migrate(DataSource dataSource, boolean seedTrustedUsers) {
        Objects.requireNonNull(dataSource, "dataSource");
        try {
            MigrateResult r = migrateOnce(dataSource, seedTrustedUsers);
            List<AppliedMigration> applied = r.migrations.stream()
                    .map(m -> new AppliedMigration(m.version, m.description, m.filepath == null ? ""
                            : m.filepath.substring(m.filepath.lastIndexOf('/') + 1), Duration.ofMillis(m.executionTime)))
                    .toList();
            // Flyway locks per migration, so racing processes can interleave: the last version this run applied need
            // not be the schema's version when it returns
            return new Result(applied, currentVersion(dataSource));
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    /**
     * One Flyway run. Flyway decides whether to baseline before it takes its lock on the history table, so a second
     * process starting on an empty database can find the first one's history table already created but still empty,
     * and refuse to baseline it. That process then only has to run again: the table exists now, and Flyway's own lock
     * makes it wait for the first run and find the schema current.
     */
    private static MigrateResult migrateOnce(DataSource dataSource, boolean seedTrustedUsers) {
        for (int attempt = 1; ; attempt++) {
            try {
                return flyway(dataSource, seedTrustedUsers).migrate();
            } catch (FlywayException e) {
                String m = String.valueOf(e.getMessage());
                if (attempt >= 5 || !(m.contains("Unable to baseline schema history table") && m.contains("is empty"))) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Every migration known to the class path or the database, applied or not, oldest first. */
    public static List<MigrationInfo> history(DataSource dataSource) {
        try {
            return List.of(flyway(dataSource).info().all());
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    /** Whether every migration on the class path has been applied. */
    public static boolean isCurrent(DataSource dataSource) {
        try {
            return flyway(dataSource).info().pending().length == 0;
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    private static String currentVersion(DataSource dataSource) {
        MigrationInfo current = flyway(dataSource).info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }

    private static Flyway flyway(DataSource dataSource) {
        return flyway(dataSource, true);
    }

    private static Flyway flyway(DataSource dataSource, boolean seedTrustedUsers) {
        org.flywaydb.core.api.configuration.FluentConfiguration config = Flyway.configure();
        if (!seedTrustedUsers) {
            config.callbacks(new io.ominis.db.internal.AclSeedRemoval());
        }
        return config
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // FreeSWITCH may have created its tables before we ever ran: adopt them instead of refusing.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .validateMigrationNaming(true)
                // our SQL holds FreeSWITCH's ${…} syntax literally; it is not a Flyway placeholder
                .placeholderReplacement(false)
                .load();
    }

    private static RuntimeException translate(FlywayException e) {
        RuntimeException translated = SqlErrors.translate(e);
        if (translated instanceof UnavailableException) {
            return translated;
        }
        return new DatabaseException("migration failed: " + e.getMessage(), e);
    }
}

package io.ominis.db;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.UnavailableException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.MigrationSettings;
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

    /**
     * Hears about each migration as it runs, so a long one (an index on a large adopted table) shows progress.
     * Both methods are called on the migrating thread; they must not throw.
     */
    public interface Progress {

        /** Reports nothing. */
        Progress SILENT = new Progress() {
        };

        /** Migration {@code version} ({@code description}) is starting. */
        default void started(String version, String description) {
        }

        /** Migration {@code version} ended after {@code took}, applied ({@code ok}) or failed. */
        default void finished(String version, String description, Duration took, boolean ok) {
        }
    }

    /**
     * Applies every pending migration on connections of their own, under
     * {@link MigrationSettings#statementTimeout()} instead of the API's statement timeout, creating the database
     * first when it is missing and {@link MigrationSettings#createMissingDatabase()} allows it. A statement cancelled
     * by that timeout fails with a one-line {@link DatabaseException} naming
     * {@value MigrationSettings#STATEMENT_TIMEOUT}.
     */
    public static Result migrate(DatabaseSettings database, MigrationSettings settings, Progress progress) {
        Objects.requireNonNull(progress, "progress");
        DatabaseSettings forMigrations = database.withStatementTimeout(settings.statementTimeout()).withPoolSize(2);
        try (HikariDataSource pool = ConnectionPool.open(forMigrations)) {
            return migrate(pool, settings.seedTrustedUsers(), progress);
        } catch (RuntimeException e) {
            // SqlErrors words a cancelled statement for API callers; here the operator needs the setting's name
            if (cancelledByTimeout(e)) {
                long ms = settings.statementTimeout().toMillis();
                throw new DatabaseException("a migration statement ran longer than " + MigrationSettings.STATEMENT_TIMEOUT
                        + "=" + ms + " ms and was cancelled; raise " + MigrationSettings.STATEMENT_TIMEOUT
                        + " (0 = no timeout) and run again", e);
            }
            throw e;
        }
    }

    /**
     * The one rule for a missing database, used by {@code migrate} and {@code serve}: the configured database, whatever
     * its name, is created when it does not exist and {@link MigrationSettings#createMissingDatabase()} is true.
     *
     * @return whether it was created now
     */
    public static boolean createDatabaseIfAllowed(DatabaseSettings database, MigrationSettings settings) {
        return settings.createMissingDatabase() && ConnectionPool.createDatabaseIfMissing(database);
    }

    private static boolean cancelledByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
            if (String.valueOf(t.getMessage()).contains("canceling statement due to statement timeout")) {
                return true;
            }
        }
        return false;
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
        return migrate(dataSource, seedTrustedUsers, Progress.SILENT);
    }

    /** As {@link #migrate(DataSource, boolean)}, telling {@code progress} as each migration starts and ends. */
    public static Result migrate(DataSource dataSource, boolean seedTrustedUsers, Progress progress) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(progress, "progress");
        try {
            MigrateResult r = migrateOnce(dataSource, seedTrustedUsers, progress);
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
    private static MigrateResult migrateOnce(DataSource dataSource, boolean seedTrustedUsers, Progress progress) {
        for (int attempt = 1; ; attempt++) {
            try {
                return flyway(dataSource, seedTrustedUsers, progress).migrate();
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
        return flyway(dataSource, true, Progress.SILENT);
    }

    private static Flyway flyway(DataSource dataSource, boolean seedTrustedUsers, Progress progress) {
        org.flywaydb.core.api.configuration.FluentConfiguration config = Flyway.configure();
        List<org.flywaydb.core.api.callback.Callback> callbacks = new java.util.ArrayList<>();
        if (!seedTrustedUsers) {
            callbacks.add(new io.ominis.db.internal.AclSeedRemoval());
        }
        if (progress != Progress.SILENT) {
            callbacks.add(new MigrationTimer(progress));
        }
        config.callbacks(callbacks.toArray(org.flywaydb.core.api.callback.Callback[]::new));
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

    /** Times each migration between Flyway's before- and after-each events and tells {@link Progress}. */
    private static final class MigrationTimer implements org.flywaydb.core.api.callback.Callback {
        private final Progress progress;
        private long startedNanos;

        MigrationTimer(Progress progress) {
            this.progress = progress;
        }

        @Override
        public boolean supports(org.flywaydb.core.api.callback.Event event,
                org.flywaydb.core.api.callback.Context context) {
            return (event == org.flywaydb.core.api.callback.Event.BEFORE_EACH_MIGRATE
                    || event == org.flywaydb.core.api.callback.Event.AFTER_EACH_MIGRATE
                    || event == org.flywaydb.core.api.callback.Event.AFTER_EACH_MIGRATE_ERROR)
                    && context.getMigrationInfo() != null;
        }

        @Override
        public boolean canHandleInTransaction(org.flywaydb.core.api.callback.Event event,
                org.flywaydb.core.api.callback.Context context) {
            return true;
        }

        @Override
        public void handle(org.flywaydb.core.api.callback.Event event, org.flywaydb.core.api.callback.Context context) {
            MigrationInfo m = context.getMigrationInfo();
            String version = m.getVersion() == null ? "" : m.getVersion().getVersion();
            if (event == org.flywaydb.core.api.callback.Event.BEFORE_EACH_MIGRATE) {
                startedNanos = System.nanoTime();
                progress.started(version, m.getDescription());
            } else {
                progress.finished(version, m.getDescription(), Duration.ofNanos(System.nanoTime() - startedNanos),
                        event == org.flywaydb.core.api.callback.Event.AFTER_EACH_MIGRATE);
            }
        }

        @Override
        public String getCallbackName() {
            return "ominis-progress";
        }
    }
}

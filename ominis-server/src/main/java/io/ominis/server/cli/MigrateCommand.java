package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.MigrationSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.DatabaseInsight;
import io.ominis.db.Migrations;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code migrate}: applies pending migrations and prints what was applied and every table with its size, like the
 * spec's {@code migrate.py}. Re-running applies nothing and exits 0.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply the database migrations and print a summary of the schema.")
public final class MigrateCommand implements Callable<Integer> {

    private static final String RULE = "=".repeat(80);

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    public MigrateCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DatabaseSettings settings = DatabaseSettings.fromEnvironment(env);
            MigrationSettings migration = MigrationSettings.fromEnvironment(env);
            if (Migrations.createDatabaseIfAllowed(settings, migration)) {
                out.println("Created database '" + settings.database() + "'");
            }
            try (HikariDataSource pool = ConnectionPool.open(settings.withPoolSize(2))) {
                out.println(RULE);
                out.println("Ominis PostgreSQL migration");
                out.println(RULE);
                out.println("✓ Connected to database " + settings.describe());
                Migrations.Result result = Migrations.migrate(settings, migration, new Migrations.Progress() {
                    @Override
                    public void started(String version, String description) {
                        out.printf("    V%s %s: started%n", version, description);
                        out.flush();
                    }

                    @Override
                    public void finished(String version, String description, java.time.Duration took, boolean ok) {
                        out.printf("    V%s %s: %s after %d ms%n", version, description, ok ? "done" : "FAILED",
                                took.toMillis());
                        out.flush();
                    }
                });
                int step = 0;
                if (result.applied().isEmpty()) {
                    out.println("Schema is current (version " + result.schemaVersion() + "); nothing to apply.");
                }
                for (Migrations.AppliedMigration m : result.applied()) {
                    out.printf("[%d] Applied V%s %s (%d ms)%n", ++step, m.version(), m.description(),
                            m.duration().toMillis());
                }
                List<DatabaseInsight.TableSize> tables = new DatabaseInsight(pool).tableSizes();
                out.printf("[%d] Database summary:%n", ++step);
                out.println("    Schema version: " + result.schemaVersion());
                out.println("    Total tables: " + tables.size());
                for (DatabaseInsight.TableSize t : tables) {
                    out.println("    - " + t.name() + ": " + t.pretty());
                }
                out.println(RULE);
                out.println("✓ Migration completed successfully!");
                out.println(RULE);
                return 0;
            }
        } catch (OminisException e) {
            err.println("ominis migrate: " + e.getMessage());
            return 2;
        }
    }
}

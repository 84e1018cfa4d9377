package io.ominis.server.ops;

import io.ominis.db.admin.Backups;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.server.ops.internal.OpsCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup}: {@code pg_dump -Fc} of the configured database into {@code ominis-<database>-YYYYMMDD-HHMMSS.dump} (UTC),
 * written under a temporary name and renamed when complete, then the oldest backups beyond {@code --keep} removed.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {
            "Back the database up with pg_dump, keeping the newest N backups.",
            "Dump the database with pg_dump (custom format) to DIR/ominis-<db>-YYYYMMDD-HHMMSS.dump (UTC) and keep",
            "only the newest N such files. Needs pg_dump of the server's major version or newer."
        })
public final class BackupCommand extends OpsCommand {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "directory for the backups")
    private Path dir;

    @Option(names = "--keep", defaultValue = "7", paramLabel = "N",
            description = "backups to keep, this one included (default ${DEFAULT-VALUE})")
    private int keep;

    @Option(names = "--progress-every", defaultValue = "10", paramLabel = "SECONDS",
            description = "print the bytes written so far this often while pg_dump runs (default ${DEFAULT-VALUE})")
    private int progressSeconds;

    public BackupCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter out) {
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        if (progressSeconds < 1) {
            throw new io.ominis.core.ConfigurationException("--progress-every",
                    "must be at least 1 second, got " + progressSeconds);
        }
        Backups.Backup backup = Backups.backup(db, dir, keep, env.getOrDefault("PATH", System.getenv("PATH")),
                java.time.Duration.ofSeconds(progressSeconds), (bytes, elapsed) -> {
                    out.printf("pg_dump running for %d s, %,d bytes written%n", elapsed.toSeconds(), bytes);
                    out.flush();
                });
        out.printf("Backup of %s written to %s (%,d bytes, pg_dump %d)%n", db.describe(), backup.file(), backup.bytes(),
                backup.pgDumpMajor());
        for (Path removed : backup.removed()) {
            out.println("Removed old backup " + removed);
        }
        return 0;
    }
}

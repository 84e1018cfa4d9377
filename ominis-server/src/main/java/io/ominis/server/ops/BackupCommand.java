package io.ominis.server.ops;

import io.ominis.core.OperationFailedException;
import io.ominis.core.ConfigurationException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.admin.AtomicFiles;
import io.ominis.db.admin.BackupFiles;
import io.ominis.server.ops.internal.OpsCommand;
import io.ominis.db.admin.PgTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup}: {@code pg_dump -Fc} of the configured database into {@code ominis-YYYYMMDD-HHMMSS.dump} (UTC),
 * written under a temporary name and renamed when complete, then the oldest backups beyond {@code --keep} removed.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {
            "Back the database up with pg_dump, keeping the newest N backups.",
            "Dump the database with pg_dump (custom format) to DIR/ominis-YYYYMMDD-HHMMSS.dump (UTC) and keep",
            "only the newest N such files. Needs pg_dump of the server's major version or newer."
        })
public final class BackupCommand extends OpsCommand {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "directory for the backups")
    private Path dir;

    @Option(names = "--keep", defaultValue = "7", paramLabel = "N",
            description = "backups to keep, this one included (default ${DEFAULT-VALUE})")
    private int keep;

    public BackupCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter out) {
        if (keep < 1) {
            throw new ConfigurationException("--keep", "must be at least 1, got " + keep);
        }
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        PgTools.Tool pgDump = PgTools.locate("pg_dump", PgTools.serverMajor(db), env.getOrDefault("PATH", System.getenv("PATH")));
        Path target = dir.resolve(BackupFiles.nameFor(Instant.now()));
        // hidden and without the .dump suffix, so neither retention nor a restore picks up a half-written file
        Path partial = dir.resolve("." + target.getFileName() + ".partial");
        try {
            Files.createDirectories(dir);
            if (Files.exists(target)) {
                throw new OperationFailedException(target + " exists already; wait a second and run again");
            }
            List<String> command = new ArrayList<>(List.of(pgDump.path().toString(), "--format=custom",
                    "--file=" + partial));
            command.addAll(PgTools.connectionArguments(db));
            command.add("--dbname=" + db.database());
            PgTools.run(command, db, "pg_dump");
            AtomicFiles.restrict(partial);
            AtomicFiles.moveInto(partial, target, false);
            out.printf("Backup of %s written to %s (%,d bytes, pg_dump %d)%n", db.describe(), target,
                    Files.size(target), pgDump.major());
        } catch (IOException e) {
            throw new OperationFailedException("cannot write backup " + target + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(partial);
        }
        for (Path removed : BackupFiles.prune(dir, keep)) {
            out.println("Removed old backup " + removed);
        }
        return 0;
    }
}

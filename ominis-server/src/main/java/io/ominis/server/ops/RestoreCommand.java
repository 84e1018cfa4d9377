package io.ominis.server.ops;

import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.admin.Backups;
import io.ominis.server.ops.internal.OpsCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code restore FILE}: {@code pg_restore} of a {@code backup} file into the configured database, in one transaction.
 * A database that already holds Ominis tables or any rows is refused unless {@code --force}, which then drops the
 * dumped objects first ({@code --clean --if-exists}).
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {
            "Restore a backup file into the configured database with pg_restore, in a single transaction.",
            "Refuses a database that has Ominis tables or any rows unless --force (then existing objects are replaced).",
            "Ownership and grants are not restored: run 'db-roles' afterwards."
        })
public final class RestoreCommand extends OpsCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "a file written by 'backup' (pg_dump custom format)")
    private Path file;

    @Option(names = "--force", description = "replace the contents of a non-empty database")
    private boolean force;

    public RestoreCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter out) {
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        List<String> contents = Backups.restore(db, file, force, env.getOrDefault("PATH", System.getenv("PATH")));
        out.println("Restored " + file + " into " + db.describe() + (contents.isEmpty() ? "" : ", replacing its contents"));
        out.println("Ownership and grants were not restored: run 'db-roles' to re-apply them.");
        return 0;
    }
}

package io.ominis.server.ops;

import io.ominis.core.OperationFailedException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.Migrations;
import io.ominis.db.admin.DbRoles;
import io.ominis.server.ops.internal.OpsCommand;
import io.ominis.db.admin.PgTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new OperationFailedException(file + " is not a readable file");
        }
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        List<String> contents = contents(db);
        if (!contents.isEmpty() && !force) {
            throw new OperationFailedException("database " + db.describe() + " is not empty (" + summary(contents)
                    + "); use --force to replace its contents");
        }
        PgTools.Tool pgRestore = PgTools.locate("pg_restore", PgTools.serverMajor(db), env.getOrDefault("PATH", System.getenv("PATH")));
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--single-transaction",
                "--exit-on-error", "--no-owner", "--no-privileges"));
        if (force) {
            command.addAll(List.of("--clean", "--if-exists"));
        }
        command.addAll(PgTools.connectionArguments(db));
        command.add("--dbname=" + db.database());
        command.add("--"); // a file named like an option (-f…, --clean) is still a file
        command.add(file.toString());
        PgTools.run(command, db, "pg_restore");
        out.println("Restored " + file + " into " + db.describe() + (contents.isEmpty() ? "" : ", replacing its contents"));
        out.println("Ownership and grants were not restored: run 'db-roles' to re-apply them.");
        return 0;
    }

    /** What makes the database non-empty: Ominis's tables that exist, and tables holding rows. */
    private static List<String> contents(DatabaseSettings db) {
        List<String> ours = new ArrayList<>(DbRoles.OMINIS_TABLES);
        ours.addAll(DbRoles.FREESWITCH_TABLES);
        ours.add("cdr");
        ours.add(Migrations.HISTORY_TABLE);
        List<String> found = new ArrayList<>();
        try (Connection c = PgTools.connect(db)) {
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT c.relname
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND c.relname = ANY (?)
                     ORDER BY c.relname
                    """)) {
                st.setArray(1, c.createArrayOf("text", ours.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        found.add("table " + rs.getString(1));
                    }
                }
            }
            List<String> tables = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT c.oid::regclass::text
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                     ORDER BY 1
                    """)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                // the name comes from the catalog already quoted by regclass output, so it is a safe identifier
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        found.add("rows in " + table);
                    }
                }
            }
        } catch (SQLException e) {
            throw new OperationFailedException("cannot inspect database " + db.describe() + ": "
                    + PgTools.firstLine(e.getMessage()), e);
        }
        return found;
    }

    private static String summary(List<String> contents) {
        return contents.size() <= 3 ? String.join(", ", contents)
                : String.join(", ", contents.subList(0, 3)) + " and " + (contents.size() - 3) + " more";
    }
}

package io.ominis.db.admin;

import io.ominis.core.ConfigurationException;
import io.ominis.core.OperationFailedException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Backups of an Ominis database with PostgreSQL's own tools: {@link #backup} ({@code pg_dump -Fc} under a temporary
 * name, renamed when complete, old ones pruned) and {@link #restore} ({@code pg_restore} in one transaction, refusing
 * a database that is not empty unless told to replace it).
 */
public final class Backups {

    /**
     * One backup written.
     *
     * @param removed older backups pruned beyond the number kept
     */
    public record Backup(Path file, long bytes, int pgDumpMajor, List<Path> removed) {
    }

    private Backups() {
    }

    /**
     * Dumps {@code db} to {@code dir/ominis-<database>-YYYYMMDD-HHMMSS.dump} (UTC) and keeps that database's newest
     * {@code keep} backups.
     *
     * @param searchPath where to look for {@code pg_dump} (the {@code PATH} variable)
     * @throws OperationFailedException when the dump or the file fails
     */
    public static Backup backup(DatabaseSettings db, Path dir, int keep, String searchPath) {
        return backup(db, dir, keep, searchPath, java.time.Duration.ofDays(1), (bytes, elapsed) -> { });
    }

    /**
     * What a running dump has written so far, told every so often so a long backup shows it is moving.
     */
    @FunctionalInterface
    public interface Progress {
        /** {@code bytes} written after {@code elapsed}. Called from a timer thread; must not throw. */
        void written(long bytes, java.time.Duration elapsed);
    }

    /**
     * As {@link #backup(DatabaseSettings, Path, int, String)}, telling {@code progress} every {@code every} how many
     * bytes the dump file has so far.
     */
    public static Backup backup(DatabaseSettings db, Path dir, int keep, String searchPath, java.time.Duration every,
            Progress progress) {
        if (keep < 1) {
            throw new ConfigurationException("--keep", "must be at least 1, got " + keep);
        }
        PgTools.Tool pgDump = PgTools.locate("pg_dump", PgTools.serverMajor(db), searchPath);
        Path target = dir.resolve(BackupFiles.nameFor(db.database(), Instant.now()));
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
            long started = System.nanoTime();
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "ominis-backup-progress");
                        t.setDaemon(true);
                        return t;
                    });
            timer.scheduleAtFixedRate(() -> {
                try {
                    progress.written(Files.exists(partial) ? Files.size(partial) : 0,
                            java.time.Duration.ofNanos(System.nanoTime() - started));
                } catch (IOException | RuntimeException e) {
                    // the file can vanish between the two calls; the next tick reports again
                }
            }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            try {
                PgTools.run(command, db, "pg_dump");
            } finally {
                timer.shutdownNow();
            }
            AtomicFiles.restrict(partial);
            AtomicFiles.moveInto(partial, target, false);
            long bytes = Files.size(target);
            return new Backup(target, bytes, pgDump.major(), BackupFiles.prune(dir, db.database(), keep));
        } catch (IOException e) {
            throw new OperationFailedException("cannot write backup " + target + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(partial);
        }
    }

    /**
     * Restores {@code file} into {@code db}; with {@code replace}, the dumped objects are dropped first, otherwise a
     * database with Ominis tables or any rows is refused.
     *
     * @return what the database held before (empty when it was empty)
     * @throws OperationFailedException when refused or when pg_restore fails
     */
    public static List<String> restore(DatabaseSettings db, Path file, boolean replace, String searchPath) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new OperationFailedException(file + " is not a readable file");
        }
        boolean force = replace;
        List<String> contents = contents(db);
        if (!contents.isEmpty() && !force) {
            throw new OperationFailedException("database " + db.describe() + " is not empty (" + summary(contents)
                    + "); use --force to replace its contents");
        }
        PgTools.Tool pgRestore = PgTools.locate("pg_restore", PgTools.serverMajor(db), searchPath);
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
        return contents;
    }

    /** What makes the database non-empty: Ominis's tables that exist, and tables holding rows. */
    public static List<String> contents(DatabaseSettings db) {
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

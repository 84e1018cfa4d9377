package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Migrations;
import io.ominis.testing.OminisDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backup, wipe, restore with the real pg_dump/pg_restore, comparing every table's rows before and after. */
class BackupRestoreTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    /** Ignored by this machine's trust authentication; here to prove it never shows up in output. */
    private static final String PASSWORD = "backup-s3cret";

    private static String scratch;
    private static Map<String, String> env;

    @TempDir
    Path dir;

    @BeforeAll
    static void fillScratchDatabase() throws SQLException {
        db.createScratchDatabase("bk");
        scratch = db.databaseName() + "_bk";
        env = Cli.databaseEnv(db, scratch);
        env.put("DB_PASS", PASSWORD);
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env).withPoolSize(2))) {
            Migrations.migrate(pool);
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                st.execute("""
                        INSERT INTO extensions (number, password, display_name, features_json)
                        VALUES ('1000', 'pw-1000', 'Ann', '{"dnd": true}'), ('1001', 'pw-1001', 'Bob', NULL)
                        """);
                st.execute("INSERT INTO acl_entries (list_name, cidr) VALUES ('office', '192.0.2.0/24')");
                st.execute("""
                        INSERT INTO cdr (uuid, caller_id_name, start_stamp, answer_stamp, end_stamp, duration, billsec,
                                         queue_name, member_state)
                        VALUES ('c1', 'Ann O''Brien', '2025-10-14 12:00:00', NULL, '2025-10-14 12:00:42', 42, 0,
                                'support@default', 'cancel'),
                               ('c2', 'Bob', '2025-10-14 13:00:00', '2025-10-14 13:00:05', '2025-10-14 13:10:00', 600,
                                595, 'support@default', 'answered')
                        """);
                st.execute("""
                        INSERT INTO agents (name, instance_id, type, status, state, contact)
                        VALUES ('1000@default', 'single_box', 'Callback', 'Logged Out', 'Waiting', 'user/1000')
                        """);
                st.execute("INSERT INTO tiers (queue, agent, state) VALUES ('support@default', '1000@default', 'Ready')");
                st.execute("INSERT INTO channels (uuid, hostname, created_epoch) VALUES ('ch1', 'fs1', '1760000000')");
            }
        }
    }

    @Test
    void backupWipeRestoreKeepsEveryRow() throws Exception {
        Map<String, String> before = snapshot();
        assertThat(before).containsKeys("extensions", "cdr", "agents", "channels", "ominis_schema_history");

        Cli backup = Cli.run(env, "backup", "--dir", dir.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        assertThat(backup.out() + backup.err()).doesNotContain(PASSWORD);
        // restored under the name backups had before they carried the database's: old files still restore
        Path file = Files.move(onlyBackup(), dir.resolve("ominis-20200101-000000.dump"));

        recreateScratchDatabase();
        assertThat(snapshot()).isEmpty();

        Cli restore = Cli.run(env, "restore", file.toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("db-roles").doesNotContain(PASSWORD);
        assertThat(snapshot()).isEqualTo(before);

        Cli refused = Cli.run(env, "restore", file.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("ominis restore: ").contains("not empty").contains("--force")
                .hasLineCount(1);

        try (Connection c = connectScratch(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM extensions WHERE number = '1001'");
        }
        Cli forced = Cli.run(env, "restore", file.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * A file whose name starts with a dash: given after picocli's {@code --}, it must reach pg_restore as a file and
     * not as an option ({@code -d.dump} would be {@code -d .dump}, another database), so restore passes {@code --}
     * before it too. A relative name, since an absolute one starts with {@code /}.
     */
    @Test
    void restoresAFileWhoseNameLooksLikeAnOption() throws Exception {
        Map<String, String> before = snapshot();
        Cli backup = Cli.run(env, "backup", "--dir", dir.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        Path dashed = Path.of("-d" + ProcessHandle.current().pid() + ".dump");
        Files.copy(onlyBackup(), dashed);
        try {
            recreateScratchDatabase();
            assertThat(snapshot()).isEmpty();
            Cli restore = Cli.run(env, "restore", "--", dashed.toString());
            assertThat(restore.exitCode()).as(restore.err()).isZero();
            assertThat(snapshot()).isEqualTo(before);
            // without picocli's end of options the name is taken for an option, so FILE is missing and nothing runs
            Cli refused = Cli.run(env, "restore", dashed.toString(), "--force");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("Missing required parameter: 'FILE'");
            assertThat(snapshot()).isEqualTo(before);
        } finally {
            Files.deleteIfExists(dashed);
        }
    }

    @Test
    void retentionKeepsTheNewestOfThisDatabaseAndTouchesNothingElse() throws Exception {
        for (String old : List.of("ominis-" + scratch + "-20200101-000000.dump",
                "ominis-" + scratch + "-20210101-000000.dump", "ominis-" + scratch + "-20220101-000000.dump")) {
            Files.writeString(dir.resolve(old), "old");
        }
        // another database's backups and the old unnamed form are not this database's to rotate
        Files.writeString(dir.resolve("ominis-otherdb-20000101-000000.dump"), "another database's");
        Files.writeString(dir.resolve("ominis-20000101-000000.dump"), "legacy name");
        Files.writeString(dir.resolve("ominis-notes.dump"), "not a backup name");
        Files.writeString(dir.resolve("other-20000101-000000.dump"), "someone else's");

        Cli run = Cli.run(env, "backup", "--dir", dir.toString(), "--keep", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Removed old backup").contains("ominis-" + scratch + "-20200101-000000.dump")
                .contains("ominis-" + scratch + "-20210101-000000.dump");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .hasSize(6)
                    .contains("ominis-" + scratch + "-20220101-000000.dump", "ominis-notes.dump",
                            "other-20000101-000000.dump", "ominis-otherdb-20000101-000000.dump",
                            "ominis-20000101-000000.dump")
                    .noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    void aRunningBackupReportsTheBytesWrittenSoFar() throws Exception {
        List<Long> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path other = Files.createTempDirectory("ominis-progress");
        try {
            io.ominis.db.admin.Backups.Backup b = io.ominis.db.admin.Backups.backup(
                    DatabaseSettings.fromEnvironment(env), other, 1, System.getenv("PATH"),
                    java.time.Duration.ofMillis(10), (bytes, elapsed) -> reports.add(bytes));
            // pg_dump takes far more than 10 ms to start and connect: at least one report came while it ran
            assertThat(reports).isNotEmpty();
            assertThat(reports).allSatisfy(n -> assertThat(n).isBetween(0L, b.bytes()));
            int count = reports.size();
            Thread.sleep(100);
            assertThat(reports).as("no report after the backup ended").hasSize(count);
        } finally {
            try (Stream<Path> files = Files.list(other)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(other);
        }
        assertThat(Cli.run(env, "backup", "--dir", dir.toString(), "--progress-every", "0").err())
                .startsWith("ominis backup: --progress-every: ");
    }

    @Test
    void refusesAMissingFileAndABadKeep() {
        assertThat(Cli.run(env, "restore", dir.resolve("nope.dump").toString()).err())
                .startsWith("ominis restore: ").contains("not a readable file");
        assertThat(Cli.run(env, "backup", "--dir", dir.toString(), "--keep", "0").err())
                .startsWith("ominis backup: --keep: ");
    }

    private Path onlyBackup() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).matches("ominis-" + java.util.regex.Pattern.quote(scratch) + "-\\d{8}-\\d{6}\\.dump");
            return all.get(0);
        }
    }

    /** Table name → row count and an md5 over every row's text, ordered: equal snapshots mean equal contents. */
    private static Map<String, String> snapshot() throws SQLException {
        Map<String, String> result = new TreeMap<>();
        try (Connection c = connectScratch(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT quote_ident(table_name) FROM information_schema.tables
                     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                    """)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, "
                        + "E'\\n' ORDER BY t::text), '')) FROM " + table + " t")) {
                    rs.next();
                    result.put(table, rs.getString(1));
                }
            }
        }
        return result;
    }

    private static void recreateScratchDatabase() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + scratch + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + scratch);
        }
    }

    private static Connection connectScratch() throws SQLException {
        return java.sql.DriverManager.getConnection(db.jdbcUrl().replace(db.databaseName(), scratch), db.user(),
                db.password());
    }
}

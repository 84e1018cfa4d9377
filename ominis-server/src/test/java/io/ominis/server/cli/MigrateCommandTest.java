package io.ominis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.server.Main;
import io.ominis.testing.OminisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrateCommandTest {

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    @Test
    void migratesAnEmptyDatabasePrintingTheSummaryAndTheRerunIsANoOp() {
        String url = empty.createScratchDatabase("cli");
        Map<String, String> env = Map.of("DB_DSN", url.replace("jdbc:postgresql://", "postgresql://" + empty.user() + "@"));
        Run first = run(env, "migrate");
        assertThat(first.code).isZero();
        assertThat(first.err).isEmpty();
        assertThat(first.out)
                .contains("✓ Connected to database " + empty.user() + "@")
                .contains("Applied V1 freeswitch core")
                .contains("Applied V5 change notifications")
                .contains("Applied V7 cdr partitioned")
                .contains("Applied V8 no expansion in json and sounds")
                .contains("Applied V9 callcenter queues")
                .contains("Applied V10 ivr root menu")
                .contains("Applied V11 cluster runs")
                .contains("Applied V12 freeswitch node sightings")
                .contains("Applied V13 domains and a1 hashes")
                .contains("Applied V14 channel notifications")
                .contains("Schema version: 14")
                .contains("Total tables: 24")
                .containsPattern("- extensions: \\d+ kB")
                .contains("- agents: ").contains("- cdr: ").contains("- channels: ")
                .contains("✓ Migration completed successfully!");

        Run second = run(env, "migrate");
        assertThat(second.code).isZero();
        assertThat(second.out).contains("nothing to apply").doesNotContain("Applied V");
    }

    /**
     * A migration statement that has to wait (here: for a lock an adopted FreeSWITCH table is held under, as an index
     * build on a large adopted table takes long) runs under OMINIS_MIGRATE_STATEMENT_TIMEOUT_MS, not under the API's
     * one-second statement timeout, and each migration is reported as it starts and ends.
     */
    @Test
    void aMigrationStatementLongerThanTheApiTimeoutSucceedsAndEachMigrationIsReported() throws Exception {
        String url = empty.createScratchDatabase("slowmig");
        Map<String, String> env = Map.of("DB_DSN", url.replace("jdbc:postgresql://", "postgresql://" + empty.user() + "@"),
                "OMINIS_DB_STATEMENT_TIMEOUT_MS", "1000");
        Run r = withAdoptedTableLocked(url, 2500, () -> run(env, "migrate"));
        assertThat(r.err).isEmpty();
        assertThat(r.code).isZero();
        assertThat(r.out).contains("V1 freeswitch core: started")
                .containsPattern("V1 freeswitch core: done after (\\d+) ms")
                .contains("V12 freeswitch node sightings: started");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("V1 freeswitch core: done after (\\d+) ms")
                .matcher(r.out);
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(1000);
        // the start line comes before the end line of the same migration
        assertThat(r.out.indexOf("V1 freeswitch core: started")).isLessThan(r.out.indexOf("V1 freeswitch core: done"));
    }

    @Test
    void aTooShortMigrationTimeoutFailsWithOneLineNamingTheSetting() throws Exception {
        String url = empty.createScratchDatabase("shortmig");
        Map<String, String> env = Map.of("DB_DSN", url.replace("jdbc:postgresql://", "postgresql://" + empty.user() + "@"),
                "OMINIS_MIGRATE_STATEMENT_TIMEOUT_MS", "300");
        // held until the command has ended, however slowly it starts on a loaded machine
        Run r = withAdoptedTableLocked(url, 120_000, () -> run(env, "migrate"));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).doesNotContain("\n")
                .startsWith("ominis migrate: a migration statement ran longer than OMINIS_MIGRATE_STATEMENT_TIMEOUT_MS=300 ms");
    }

    @Test
    void aConfiguredMissingDatabaseIsCreatedUnlessForbidden() throws Exception {
        String name = "ominis_created_" + Long.toHexString(System.nanoTime());
        String base = empty.createScratchDatabase("creator");
        String url = base.substring(0, base.lastIndexOf('/') + 1) + name;
        String dsn = url.replace("jdbc:postgresql://", "postgresql://" + empty.user() + "@");
        Run refused = run(Map.of("DB_DSN", dsn, "OMINIS_DB_CREATE", "false"), "migrate");
        assertThat(refused.code).isNotZero();
        assertThat(refused.err.strip()).doesNotContain("\n").contains(name);
        Run created = run(Map.of("DB_DSN", dsn), "migrate");
        assertThat(created.err).isEmpty();
        assertThat(created.out).contains("Created database '" + name + "'").contains("Schema version: 14");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base, empty.user(), empty.password());
                java.sql.Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /**
     * Creates FreeSWITCH's {@code aliases} table as FreeSWITCH would and holds it locked for {@code millis} or until
     * {@code body} has ended, whichever comes first.
     */
    private static Run withAdoptedTableLocked(String url, long millis, java.util.function.Supplier<Run> body)
            throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, empty.user(), empty.password());
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE aliases (sticky INTEGER, alias VARCHAR(128), command VARCHAR(4096),"
                    + " hostname VARCHAR(256))");
            c.setAutoCommit(false);
            st.execute("LOCK TABLE aliases IN ACCESS EXCLUSIVE MODE");
            java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
            Thread release = new Thread(() -> {
                try {
                    ended.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            Run r;
            try {
                r = body.get();
            } finally {
                ended.countDown();
            }
            release.join();
            return r;
        }
    }

    @Test
    void anUnreachableDatabaseIsOneClearLineAndANonZeroExit() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Run r = run(Map.of("DB_DSN", "postgresql://postgres:hunter2@127.0.0.1:" + dead + "/ominis",
                "OMINIS_DB_CONNECT_TIMEOUT_MS", "1000"), "migrate");
        assertThat(r.code).isNotZero();
        assertThat(r.out).isEmpty();
        assertThat(r.err.strip()).doesNotContain("\n").startsWith("ominis migrate: cannot connect to database")
                .contains("127.0.0.1:" + dead).doesNotContain("hunter2");
    }

    @Test
    void aWrongSettingIsNamed() {
        Run r = run(Map.of("DB_TYPE", "sqlite"), "migrate");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).startsWith("ominis migrate: DB_TYPE:").doesNotContain("\n");
    }

    @Test
    void dbInfoPrintsTheSpecsMonitoringAnswers() {
        String url = empty.createScratchDatabase("info");
        Map<String, String> env = Map.of("DB_DSN", url.replace("jdbc:postgresql://", "postgresql://" + empty.user() + "@"));
        assertThat(run(env, "migrate").code).isZero();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, empty.user(), empty.password());
                java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'secret'), ('1002', 'Secret-1002-pass')");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        Run r = run(env, "db-info");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("Tables:").containsPattern("extensions\\s+\\d+ kB")
                .contains("Indexes (scans, size):").contains("chidx1").contains("Unused indexes:")
                .containsPattern("Connections: \\d+").contains("Active queries:")
                .contains("V5__change_notifications.sql").contains("Success")
                .contains("Constraints some existing rows break")
                .contains("SIP passwords below the policy (12 characters, 3 classes): 1 — 1001")
                .doesNotContain("Secret-1002-pass").doesNotContain("secret");
    }

    @Test
    void helpListsTheCommands() {
        Run r = run(Map.of(), "--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("serve").contains("migrate").contains("DB_DSN");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}

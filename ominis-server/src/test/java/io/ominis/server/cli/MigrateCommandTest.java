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
                .contains("Schema version: 12")
                .contains("Total tables: 22")
                .containsPattern("- extensions: \\d+ kB")
                .contains("- agents: ").contains("- cdr: ").contains("- channels: ")
                .contains("✓ Migration completed successfully!");

        Run second = run(env, "migrate");
        assertThat(second.code).isZero();
        assertThat(second.out).contains("nothing to apply").doesNotContain("Applied V");
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

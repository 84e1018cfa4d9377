package io.ominis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.server.Main;
import io.ominis.testing.OminisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ExtensionsCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String GOOD = "Good-Pass-1234";

    @TempDir
    Path dir;

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM extensions");
        }
    }

    @Test
    void importsALargeFileWithProgressLinesThenExportsItBackWithoutPasswords() throws Exception {
        Path file = dir.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("number,password,display_name,features_json\n");
            for (int i = 0; i < 20_000; i++) {
                w.write("x" + i + "," + GOOD + ",\"User, " + i + "\",\"{\"\"k\"\": " + i + "}\"\n");
            }
        }
        Run imported = run("extensions", "import", file.toString(), "--mode", "skip", "--progress-interval-ms", "0");
        assertThat(imported.code).as(imported.err).isZero();
        assertThat(imported.err).contains("importing " + file).contains("mode skip")
                .contains("20,000 row(s) read: 20,000 created");
        assertThat(imported.err.lines().filter(l -> l.contains("row(s) read")).count()).isGreaterThanOrEqualTo(20);
        assertThat(imported.out).contains("Done: 20000 row(s) read, 20000 created");
        assertThat(count()).isEqualTo(20_000);

        Path out = dir.resolve("out.csv");
        Run exported = run("extensions", "export", "--out", out.toString());
        assertThat(exported.code).as(exported.err).isZero();
        assertThat(exported.err).contains("exported 20000 extension(s)");
        String text = Files.readString(out);
        assertThat(text).startsWith("number,display_name,email,department,status,call_forwarding_json,"
                + "voicemail_json,features_json\r\n").doesNotContain(GOOD).contains("x17,\"User, 17\",,,active,,,"
                + "\"{\"\"k\"\":17}\"");

        Run again = run("extensions", "import", file.toString(), "--mode", "skip");
        assertThat(again.out).contains("20000 skipped");
    }

    @Test
    void badRowsAreListedByLineAndFailModeWritesNothing() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "number,password,status\n2001," + GOOD + ",active\n2002,weak,active\n2003," + GOOD
                + ",gone\n");
        Run failed = run("extensions", "import", file.toString());
        assertThat(failed.code).isEqualTo(2);
        assertThat(failed.out).contains("line 3: password: must be at least 12 characters")
                .contains("line 4: status: must be one of").contains("Nothing written: 2 row(s) refused")
                .doesNotContain("weak,");
        assertThat(count()).isZero();

        Run skipped = run("extensions", "import", file.toString(), "--mode", "skip");
        assertThat(skipped.code).isEqualTo(1);
        assertThat(skipped.out).contains("1 created").contains("2 left out");
        assertThat(count()).isEqualTo(1);

        assertThat(run("extensions", "import", file.toString(), "--mode", "merge").err).contains("--mode");
        assertThat(run("extensions", "import", dir.resolve("missing.csv").toString()).err).contains("cannot read");
        Files.writeString(file, "number,colour\n1,red\n");
        Run header = run("extensions", "import", file.toString());
        assertThat(header.code).isEqualTo(2);
        assertThat(header.err).contains("unknown column 'colour'");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", db.host());
        env.put("DB_PORT", Integer.toString(db.port()));
        env.put("DB_NAME", db.databaseName());
        env.put("DB_USER", db.user());
        if (db.password() != null) {
            env.put("DB_PASS", db.password());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static long count() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM extensions")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

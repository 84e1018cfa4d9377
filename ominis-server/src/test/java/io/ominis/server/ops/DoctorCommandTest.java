package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} against the real programs of this machine and a real PostgreSQL, with a PATH made for each test. */
class DoctorCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @TempDir
    Path bin;

    @Test
    void aPathWithoutPgDumpFailsAndSaysWhatToInstall() throws Exception {
        link("java", "pg_restore");
        Map<String, String> env = Cli.databaseEnv(db);
        env.put("PATH", bin.toString());
        Cli r = Cli.run(env, "doctor", "--freeswitch-root", bin.resolve("none").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("MISSING +pg_dump +pg_dump not on PATH")
                .containsPattern("ok +Java 17 +.*version \"17")
                .containsPattern("ok +pg_restore +.*pg_restore \\(PostgreSQL\\) \\d+")
                .containsPattern("ok +PostgreSQL .*reachable, server \\d+")
                .containsPattern("missing +sipp")
                .contains("To install: ").contains("postgresql-client-15").contains("sip-tester")
                .contains("chromium-driver").contains("prometheus").contains("run bin/freeswitch-build");
    }

    @Test
    void everythingRequiredPresentExitsZeroAndAnUnreachableDatabaseIsRequired() throws Exception {
        link("java", "pg_dump", "pg_restore");
        Map<String, String> env = Cli.databaseEnv(db);
        env.put("PATH", bin.toString());
        Cli ok = Cli.run(env, "doctor", "--freeswitch-root", bin.resolve("none").toString());
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("Everything required is present.");

        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        env.put("DB_DSN", "postgresql://postgres@127.0.0.1:" + dead + "/ominis");
        env.put("OMINIS_DB_CONNECT_TIMEOUT_MS", "1000");
        Cli down = Cli.run(env, "doctor", "--freeswitch-root", bin.resolve("none").toString());
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.out()).containsPattern("MISSING +PostgreSQL .*127.0.0.1:" + dead);
    }

    private void link(String... programs) throws Exception {
        for (String p : programs) {
            Path real = Path.of("/usr/bin", p);
            Files.createSymbolicLink(bin.resolve(p), real);
        }
    }
}

package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.config.DatabaseSettings;
import io.ominis.xmlcurl.config.OdbcIni;
import io.ominis.testing.ReplicatedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The odbc.ini generated for a multi-host {@code DB_DSN}, read by the real unixODBC and psqlODBC FreeSWITCH uses:
 * it connects to the primary (never the standby listed first), and after the primary dies and the standby is
 * promoted, a new connection of the same data source reaches the new primary.
 */
class OdbcFailoverTest {

    @RegisterExtension
    static final ReplicatedPostgres pg = ReplicatedPostgres.builder().build();

    private static final String DRIVER = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";

    @TempDir
    static Path conf;

    @Test
    void theDataSourceFollowsThePrimary() throws Exception {
        // the standby first: libpq must skip it for being read-only
        DatabaseSettings db = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://postgres@127.0.0.1:"
                + pg.standby().port() + ",127.0.0.1:" + pg.primary().port() + "/postgres"));
        String ini = new String(OdbcIni.render("ominis_ha", db, "postgres", null), StandardCharsets.UTF_8);
        assertThat(ini).contains("pqopt = host=127.0.0.1,127.0.0.1 port=" + pg.standby().port() + ","
                + pg.primary().port() + " target_session_attrs=read-write").doesNotContain("Servername");
        Files.writeString(conf.resolve("odbc.ini"), ini);
        Files.writeString(conf.resolve("odbcinst.ini"), "[" + OdbcIni.DRIVER + "]\nDriver = " + DRIVER + "\n");

        assertThat(isql("SELECT inet_server_port(), pg_is_in_recovery()"))
                .contains("| " + pg.primary().port()).doesNotContain("| " + pg.standby().port());
        pg.primary().kill();
        pg.standby().promote();
        assertThat(isql("SELECT inet_server_port(), pg_is_in_recovery()")).contains("| " + pg.standby().port());
        assertThat(isql("CREATE TABLE written_after_failover (id int)")).doesNotContain("read-only")
                .doesNotContain("ERROR");
    }

    private static String isql(String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("isql", "-b", "-v", "ominis_ha").redirectErrorStream(true);
        pb.environment().put("ODBCINI", conf.resolve("odbc.ini").toString());
        pb.environment().put("ODBCSYSINI", conf.toString());
        Process p = pb.start();
        p.getOutputStream().write((sql + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}

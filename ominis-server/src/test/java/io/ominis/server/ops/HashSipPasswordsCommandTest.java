package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.A1Hash;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code hash-sip-passwords} through the real command line against PostgreSQL. */
class HashSipPasswordsCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void refusesWithoutDomainsThenDryRunsThenHashesOnce() throws SQLException {
        sql("DELETE FROM extensions", "DELETE FROM domains",
                "INSERT INTO extensions (number, password) VALUES ('1001', 'Secret-1001-pass'),"
                        + " ('1002', 'Secret-1002-pass')");
        Map<String, String> env = Cli.databaseEnv(db);

        Cli refused = Cli.run(env, "hash-sip-passwords");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("no domain is served");
        assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("2");

        sql("INSERT INTO domains (name) VALUES ('a.example')");
        Cli dry = Cli.run(env, "hash-sip-passwords", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("Would hash 2 stored password(s) for realm(s) [a.example]").contains("1001")
                .doesNotContain("Secret-1001-pass");
        assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("2");

        env.put("OMINIS_SIP_PASSWORD_STORAGE", "a1-hash");
        Cli done = Cli.run(env, "hash-sip-passwords");
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("Hashed 2 stored password(s)").doesNotContain("Set OMINIS_SIP_PASSWORD");
        assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("0");
        assertThat(column("SELECT a1_hash FROM extension_a1_hashes WHERE number = '1002'"))
                .containsExactly(A1Hash.of("1002", "a.example", "Secret-1002-pass"));
        assertThat(Cli.run(env, "hash-sip-passwords").out()).contains("Hashed 0 stored password(s)");

        env.put("DB_PORT", "1");
        Cli down = Cli.run(env, "hash-sip-passwords");
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.err().lines().count()).isEqualTo(1);
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static List<String> column(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}

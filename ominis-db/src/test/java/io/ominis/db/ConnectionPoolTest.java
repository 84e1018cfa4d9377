package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.UnavailableException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.testing.OminisDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionPoolTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void opensAPoolWithTheConfiguredSettings() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", db.host());
        env.put("DB_PORT", Integer.toString(db.port()));
        env.put("DB_NAME", db.databaseName());
        env.put("DB_USER", db.user());
        env.put("OMINIS_DB_POOL_SIZE", "3");
        env.put("OMINIS_DB_STATEMENT_TIMEOUT_MS", "1234");
        if (db.password() != null) {
            env.put("DB_PASS", db.password());
        }
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env));
             Connection c = pool.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1234ms");
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
        }
    }

    @Test
    void failsFastWithOneLineWhenTheDatabaseIsUnreachable() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of(
                "DB_DSN", "postgresql://postgres:hunter2@127.0.0.1:" + deadPort + "/ominis",
                "OMINIS_DB_CONNECT_TIMEOUT_MS", "1000"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> ConnectionPool.open(settings))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort)
                .hasMessageNotContaining("hunter2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void createsTheDefaultDatabaseWhenMissingAndOnlyOnce() throws Exception {
        String name = db.databaseName() + "_auto";
        Map<String, String> env = new HashMap<>(Map.of("DB_HOST", db.host(), "DB_PORT", Integer.toString(db.port()),
                "DB_NAME", name, "DB_USER", db.user()));
        if (db.password() != null) {
            env.put("DB_PASS", db.password());
        }
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(env);
        try {
            assertThat(ConnectionPool.createDatabaseIfMissing(settings)).isTrue();
            assertThat(ConnectionPool.createDatabaseIfMissing(settings)).isFalse();
            try (HikariDataSource pool = ConnectionPool.open(settings)) {
                assertThat(Migrations.migrate(pool).schemaVersion()).isEqualTo("14");
            }
        } finally {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}

package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void defaultsToLocalPostgresWhenNothingIsSet() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of());
        assertThat(s.isDefault()).isTrue();
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/ominis");
        assertThat(s.user()).isEqualTo("postgres");
        assertThat(s.password()).isNull();
        assertThat(s.poolSize()).isEqualTo(10);
    }

    @Test
    void readsTheSpecsAsyncpgDsn() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "postgresql+asyncpg://callcenter_user:password@postgres.client-demo.svc.cluster.local:5432/callcenter"));
        assertThat(s.host()).isEqualTo("postgres.client-demo.svc.cluster.local");
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.database()).isEqualTo("callcenter");
        assertThat(s.user()).isEqualTo("callcenter_user");
        assertThat(s.password()).isEqualTo("password");
        assertThat(s.source()).isEqualTo("DB_DSN");
        assertThat(s.isDefault()).isFalse();
    }

    @Test
    void readsPlainAndJdbcForms() {
        DatabaseSettings plain = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://u:p@db:6543/x"));
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/x");
        DatabaseSettings jdbc = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "jdbc:postgresql://db/x?user=u&password=p%40ss&sslmode=require"));
        assertThat(jdbc.port()).isEqualTo(5432);
        assertThat(jdbc.user()).isEqualTo("u");
        assertThat(jdbc.password()).isEqualTo("p@ss");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x?sslmode=require");
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgres://u@[::1]:5433/y")).jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5433/y");
    }

    @Test
    void decodesAPasswordWithReservedCharacters() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "postgresql://user:p%40ss%3Aw%2Frd+x@host:5432/db"));
        assertThat(s.password()).isEqualTo("p@ss:w/rd+x");
        assertThat(s.user()).isEqualTo("user");
        assertThat(s.host()).isEqualTo("host");
    }

    @Test
    void readsTheSeparateVariables() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "pg", "DB_PORT", "5555",
                "DB_NAME", "callcenter", "DB_USER", "cc", "DB_PASS", "p@ss:/w"));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://pg:5555/callcenter");
        assertThat(s.password()).isEqualTo("p@ss:/w");
        assertThat(s.source()).isEqualTo("DB_HOST");
        assertThat(s.isDefault()).isFalse();
    }

    @Test
    void neverShowsThePassword() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://u:hunter2@h/d"));
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.describe()).doesNotContain("hunter2").isEqualTo("u@h:5432/d (from DB_DSN)");
    }

    @Test
    void refusesSqliteWithAClearMessage() {
        assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_TYPE", "sqlite")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).isEqualTo("DB_TYPE");
                    assertThat(e.getMessage()).contains("sqlite").contains("PostgreSQL").doesNotContain("\n");
                });
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DB_TYPE", "postgresql")).isDefault()).isTrue();
    }

    @Test
    void refusesMalformedSettingsNamingThem() {
        assertSetting(Map.of("DB_DSN", "mysql://x"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://h:notaport/d"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://h:70000/d"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://u:%zz@h/d"), "DB_DSN");
        assertSetting(Map.of("DB_PORT", "0"), "DB_PORT");
        assertSetting(Map.of("OMINIS_DB_POOL_SIZE", "lots"), "OMINIS_DB_POOL_SIZE");
        assertSetting(Map.of("OMINIS_DB_CONNECT_TIMEOUT_MS", "10"), "OMINIS_DB_CONNECT_TIMEOUT_MS");
    }

    @Test
    void readsPoolSettings() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("OMINIS_DB_POOL_SIZE", "50",
                "OMINIS_DB_CONNECT_TIMEOUT_MS", "1500", "OMINIS_DB_STATEMENT_TIMEOUT_MS", "0"));
        assertThat(s.poolSize()).isEqualTo(50);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.statementTimeout()).isZero();
    }

    @Test
    void severalHostsInTheDsnConnectOnlyToTheWritablePrimary() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "postgresql://app:s%40cret@db1:5432,db2:5433,[::1]/calls?sslmode=require"));
        assertThat(s.multiHost()).isTrue();
        assertThat(s.endpoints()).containsExactly(new DatabaseSettings.Endpoint("db1", 5432),
                new DatabaseSettings.Endpoint("db2", 5433), new DatabaseSettings.Endpoint("::1", 5432));
        assertThat(s.host()).isEqualTo("db1");
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.password()).isEqualTo("s@cret");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432,db2:5433,[::1]:5432/calls?sslmode=require"
                + "&targetServerType=primary&hostRecheckSeconds=2");
        assertThat(s.describe()).isEqualTo("app@db1:5432,db2:5433,[::1]:5432/calls (from DB_DSN)")
                .doesNotContain("cret");
        // a copy for another database or pool size keeps every host
        assertThat(s.withDatabase("postgres").jdbcUrl()).startsWith("jdbc:postgresql://db1:5432,db2:5433,[::1]:5432/postgres?");
        assertThat(s.withPoolSize(2).endpoints()).hasSize(3);
    }

    @Test
    void aDsnMayChooseItsOwnTargetServerTypeAndRecheck() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN",
                "jdbc:postgresql://db1,db2/calls?targetServerType=preferPrimary&hostRecheckSeconds=5"));
        assertThat(s.parameters()).containsEntry("targetServerType", "preferPrimary")
                .containsEntry("hostRecheckSeconds", "5");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/calls?targetServerType=preferPrimary"
                + "&hostRecheckSeconds=5");
    }

    @Test
    void dbHostTakesSeveralHostsWithDbPortAsTheirDefault() {
        DatabaseSettings s = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "db1, db2:6432", "DB_PORT", "5433"));
        assertThat(s.endpoints()).containsExactly(new DatabaseSettings.Endpoint("db1", 5433),
                new DatabaseSettings.Endpoint("db2", 6432));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5433,db2:6432/ominis?targetServerType=primary"
                + "&hostRecheckSeconds=2");
        DatabaseSettings one = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "db1"));
        assertThat(one.multiHost()).isFalse();
        assertThat(one.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432/ominis");
    }

    @Test
    void refusesBrokenHostListsNamingTheSetting() {
        assertSetting(Map.of("DB_DSN", "postgresql://db1,,db2/calls"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://db1:5432,db1:5432/calls"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://db1,db2:99999/calls"), "DB_DSN");
        assertSetting(Map.of("DB_DSN", "postgresql://" + "h,".repeat(20) + "h/calls"), "DB_DSN");
        assertSetting(Map.of("DB_HOST", "db1,"), "DB_HOST");
        assertSetting(Map.of("DB_HOST", "db1,[::1"), "DB_HOST");
    }

    private static void assertSetting(Map<String, String> env, String setting) {
        assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(env))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.getMessage()).startsWith(setting + ": ").doesNotContain("\n");
                });
    }
}

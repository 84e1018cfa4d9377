package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadReplicaSettingsTest {

    private static final DatabaseSettings PRIMARY = DatabaseSettings.defaults().withPoolSize(7);

    @Test
    void withoutAReadDsnEveryReadGoesToThePrimary() {
        assertThat(ReadReplicaSettings.fromEnvironment(Map.of(), PRIMARY)).isEmpty();
        assertThat(ReadReplicaSettings.fromEnvironment(Map.of("OMINIS_DB_READ_DSN", "  "), PRIMARY)).isEmpty();
    }

    @Test
    void defaultsAndTheSameFormsAsDbDsn() {
        ReadReplicaSettings s = read(Map.of("OMINIS_DB_READ_DSN",
                "postgresql+asyncpg://reader:p%40ss@replica1:5433/ominis?sslmode=require")).orElseThrow();
        assertThat(s.maxLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.probeEvery()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.database().source()).isEqualTo("OMINIS_DB_READ_DSN");
        assertThat(s.database().user()).isEqualTo("reader");
        assertThat(s.database().password()).isEqualTo("p@ss");
        assertThat(s.database().jdbcUrl()).isEqualTo("jdbc:postgresql://replica1:5433/ominis?sslmode=require");
        assertThat(s.database().poolSize()).as("the primary's pool size").isEqualTo(7);
        // a read on a frozen replica must give up quickly, so both timeouts are the read timeout
        assertThat(s.database().connectTimeout()).isEqualTo(s.timeout());
        assertThat(s.database().statementTimeout()).isEqualTo(s.timeout());
        assertThat(s.toString()).doesNotContain("p@ss");
    }

    @Test
    void severalHostsPreferAStandby() {
        ReadReplicaSettings s = read(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1:5432,r2:5433/ominis",
                "OMINIS_DB_READ_MAX_LAG_MS", "500", "OMINIS_DB_READ_TIMEOUT_MS", "800",
                "OMINIS_DB_READ_PROBE_INTERVAL_MS", "250", "OMINIS_DB_READ_POOL_SIZE", "3")).orElseThrow();
        assertThat(s.database().jdbcUrl())
                .isEqualTo("jdbc:postgresql://r1:5432,r2:5433/ominis?targetServerType=preferSecondary&hostRecheckSeconds=2");
        assertThat(s.maxLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(s.probeEvery()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.database().poolSize()).isEqualTo(3);
        // the DSN's own choice wins
        assertThat(read(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1,r2/ominis?targetServerType=secondary"))
                .orElseThrow().database().parameters()).containsEntry("targetServerType", "secondary");
        // and DB_DSN keeps connecting to the primary only
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://r1,r2/ominis")).parameters())
                .containsEntry("targetServerType", "primary");
    }

    @Test
    void wrongSettingsAreRefusedInOneLineNamingTheSetting() {
        refused(Map.of("OMINIS_DB_READ_DSN", "mysql://r1/ominis"), "OMINIS_DB_READ_DSN", "must start with");
        refused(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1:99999/ominis"), "OMINIS_DB_READ_DSN", "port");
        refused(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1:5432"), "OMINIS_DB_READ_DSN", "names no database");
        refused(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1,r1/ominis"), "OMINIS_DB_READ_DSN", "twice");
        refused(Map.of("OMINIS_DB_READ_DSN", "postgresql://u:%zz@r1/ominis"), "OMINIS_DB_READ_DSN",
                "percent-escape");
        refused(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1/a b"), "OMINIS_DB_READ_DSN", "database name");
        String dsn = "postgresql://r1/ominis";
        refused(Map.of("OMINIS_DB_READ_DSN", dsn, "OMINIS_DB_READ_MAX_LAG_MS", "-1"), "OMINIS_DB_READ_MAX_LAG_MS",
                "-1");
        refused(Map.of("OMINIS_DB_READ_DSN", dsn, "OMINIS_DB_READ_MAX_LAG_MS", "soon"), "OMINIS_DB_READ_MAX_LAG_MS",
                "soon");
        refused(Map.of("OMINIS_DB_READ_DSN", dsn, "OMINIS_DB_READ_TIMEOUT_MS", "10"), "OMINIS_DB_READ_TIMEOUT_MS",
                "10");
        refused(Map.of("OMINIS_DB_READ_DSN", dsn, "OMINIS_DB_READ_POOL_SIZE", "0"), "OMINIS_DB_READ_POOL_SIZE", "0");
        refused(Map.of("OMINIS_DB_READ_DSN", dsn, "OMINIS_DB_READ_MAX_LAG_MS", "300",
                "OMINIS_DB_READ_PROBE_INTERVAL_MS", "1000"), "OMINIS_DB_READ_PROBE_INTERVAL_MS",
                "OMINIS_DB_READ_MAX_LAG_MS (300 ms)");
        // a read setting without a read DSN would do nothing: a mistake, not a choice
        refused(Map.of("OMINIS_DB_READ_MAX_LAG_MS", "500"), "OMINIS_DB_READ_MAX_LAG_MS", "OMINIS_DB_READ_DSN");
    }

    @Test
    void valuesBuiltInCodeFailLikeTheEnvironmentVariables() {
        DatabaseSettings db = read(Map.of("OMINIS_DB_READ_DSN", "postgresql://r1/ominis")).orElseThrow().database();
        assertRefused(() -> new ReadReplicaSettings(db, Duration.ofMillis(-5), Duration.ofSeconds(1),
                Duration.ofMillis(100)), "OMINIS_DB_READ_MAX_LAG_MS");
        assertRefused(() -> new ReadReplicaSettings(db, Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofMillis(100)), "OMINIS_DB_READ_TIMEOUT_MS");
        assertRefused(() -> new ReadReplicaSettings(db, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(10)), "OMINIS_DB_READ_PROBE_INTERVAL_MS");
        assertThat(new ReadReplicaSettings(db, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(5)).maxLag())
                .as("0 = only a replica that has replayed everything").isZero();
    }

    private static Optional<ReadReplicaSettings> read(Map<String, String> env) {
        return ReadReplicaSettings.fromEnvironment(new HashMap<>(env), PRIMARY);
    }

    private static void refused(Map<String, String> env, String setting, String message) {
        assertRefused(() -> read(env), setting);
        assertThatThrownBy(() -> read(env)).hasMessageContaining(message);
    }

    private static void assertRefused(Runnable build, String setting) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).doesNotContain("\n");
        });
    }
}

package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsValidationTest {

    @Test
    void valuesBuiltInCodeFailLikeTheEnvironmentVariables() {
        DatabaseSettings ok = DatabaseSettings.defaults();
        assertRefused(() -> ok.withPoolSize(0), "OMINIS_DB_POOL_SIZE",
                "must be a whole number from 1 to 1000, got '0'");
        assertRefused(() -> DatabaseSettings.fromEnvironment(Map.of("OMINIS_DB_POOL_SIZE", "0")), "OMINIS_DB_POOL_SIZE",
                "must be a whole number from 1 to 1000, got '0'");
        assertRefused(() -> ok.withDatabase("a b/c?"), "DB_NAME", "'a b/c?'");
        assertRefused(() -> DatabaseSettings.fromEnvironment(Map.of("DB_NAME", "a b/c?")), "DB_NAME", "'a b/c?'");
        assertRefused(() -> new DatabaseSettings("h", -1, "d", "u", null, Map.of(), "DB_HOST", 5,
                ok.connectTimeout(), ok.statementTimeout()), "DB_PORT", "from 1 to 65535");
        assertRefused(() -> new DatabaseSettings("h", 5432, "d", "u", null, Map.of(), "DB_HOST", 5,
                java.time.Duration.ofMillis(10), ok.statementTimeout()), "OMINIS_DB_CONNECT_TIMEOUT_MS", "from 250");
        assertRefused(() -> new DatabaseSettings("h/x", 5432, "d", "u", null, Map.of(), "DB_DSN", 5,
                ok.connectTimeout(), ok.statementTimeout()), "DB_DSN", "host");
        assertThat(ok.withPoolSize(1000).poolSize()).isEqualTo(1000);
        assertThat(ok.withDatabase("ominis_test-1.x").jdbcUrl()).endsWith("/ominis_test-1.x");
    }

    private static void assertRefused(Runnable build, String setting, String message) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).contains(message).doesNotContain("\n");
        });
    }
}

package io.ominis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaleStateSettingsTest {

    @Test
    void defaultsToFiveMinutesProbedEveryTenSeconds() {
        StaleStateSettings s = StaleStateSettings.fromEnvironment(Map.of());
        assertThat(s).isEqualTo(StaleStateSettings.defaults());
        assertThat(s.staleAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.probeEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(StaleStateSettings.fromEnvironment(Map.of("OMINIS_STALE_NODE_AFTER_MS", "3000",
                "OMINIS_NODE_PROBE_INTERVAL_MS", "500")).staleAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void wrongValuesNameTheSetting() {
        assertThatThrownBy(() -> StaleStateSettings.fromEnvironment(Map.of("OMINIS_STALE_NODE_AFTER_MS", "10")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_STALE_NODE_AFTER_MS");
        assertThatThrownBy(() -> StaleStateSettings.fromEnvironment(Map.of("OMINIS_STALE_NODE_AFTER_MS", "soon")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_STALE_NODE_AFTER_MS");
        // a probe interval over half the stale time would make a live node look stale between probes
        assertThatThrownBy(() -> StaleStateSettings.fromEnvironment(Map.of("OMINIS_STALE_NODE_AFTER_MS", "10000",
                "OMINIS_NODE_PROBE_INTERVAL_MS", "6000")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_NODE_PROBE_INTERVAL_MS");
    }
}

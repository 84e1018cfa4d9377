package io.ominis.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TtsSettingsValidationTest {

    @Test
    void settingsBuiltInCodeFailLikeTheirVariables() {
        TtsSettings d = TtsSettings.defaults();
        assertThatThrownBy(() -> new TtsSettings(d.directory(), "not a url", null, 0, d.format(), d.connectTimeout(),
                d.readTimeout(), d.callTimeout(), 3, d.hitFlushInterval()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_TTS_BASE_URL"));
        assertThatThrownBy(() -> new TtsSettings(d.directory(), d.baseUrl(), null, -1, d.format(), d.connectTimeout(),
                d.readTimeout(), d.callTimeout(), 3, d.hitFlushInterval()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_TTS_CACHE_BUDGET_BYTES"));
        assertThatThrownBy(() -> new TtsSettings(d.directory(), d.baseUrl(), null, 0, d.format(), Duration.ZERO,
                d.readTimeout(), d.callTimeout(), 3, d.hitFlushInterval()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).isEqualTo("OMINIS_TTS_CONNECT_TIMEOUT_MS");
                    assertThat(e.getMessage()).contains("from 100 to 120000");
                });
        assertThatThrownBy(() -> TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_MAX_RETRIES", "11")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("must be a whole number from 0 to 10, got '11'"));
        assertThatThrownBy(() -> new TtsSettings(d.directory(), d.baseUrl(), null, 0, d.format(), d.connectTimeout(),
                d.readTimeout(), d.callTimeout(), 11, d.hitFlushInterval()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("must be a whole number from 0 to 10, got '11'"));
    }
}

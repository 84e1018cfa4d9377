package io.ominis.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TtsSettingsTest {

    @Test
    void defaults() {
        TtsSettings s = TtsSettings.defaults();
        assertThat(s.directory()).isEqualTo(Path.of("data/tts"));
        assertThat(s.baseUrl()).isEqualTo("https://api.openai.com");
        assertThat(s.defaultApiKey()).isNull();
        assertThat(s.budgetBytes()).isEqualTo(1L << 30);
        assertThat(s.format()).isEqualTo(SpeechFormat.WAV);
        assertThat(s.maxRetries()).isEqualTo(3);
        assertThat(s.hitFlushInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsTheEnvironment() {
        TtsSettings s = TtsSettings.fromEnvironment(Map.of(
                "OMINIS_TTS_DIR", "/var/lib/ominis/tts",
                "OMINIS_TTS_BASE_URL", "http://tts.internal:8880",
                "OPENAI_API_KEY", "sk-plain-0000",
                "OMINIS_OPENAI_API_KEY", "sk-ominis-1111",
                "OMINIS_TTS_CACHE_BUDGET_BYTES", "5_000_000",
                "OMINIS_TTS_FORMAT", "mp3",
                "OMINIS_TTS_READ_TIMEOUT_MS", "2500",
                "OMINIS_TTS_MAX_RETRIES", "0"));
        assertThat(s.directory()).isEqualTo(Path.of("/var/lib/ominis/tts"));
        assertThat(s.baseUrl()).isEqualTo("http://tts.internal:8880");
        assertThat(s.defaultApiKey()).isEqualTo("sk-ominis-1111");
        assertThat(s.budgetBytes()).isEqualTo(5_000_000L);
        assertThat(s.format()).isEqualTo(SpeechFormat.MP3);
        assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.maxRetries()).isZero();
        assertThat(TtsSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-plain-0000")).defaultApiKey())
                .isEqualTo("sk-plain-0000");
    }

    @Test
    void malformedSettingsNameTheVariable() {
        assertThatThrownBy(() -> TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_CACHE_BUDGET_BYTES", "lots")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("OMINIS_TTS_CACHE_BUDGET_BYTES:");
        assertThatThrownBy(() -> TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_FORMAT", "opus")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("OMINIS_TTS_FORMAT:");
        assertThatThrownBy(() -> TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_BASE_URL", "ftp://x")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("OMINIS_TTS_BASE_URL:");
        assertThatThrownBy(() -> TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_MAX_RETRIES", "50")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("OMINIS_TTS_MAX_RETRIES:");
    }

    @Test
    void toStringHidesTheKey() {
        TtsSettings s = TtsSettings.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-secret-42"));
        assertThat(s.toString()).doesNotContain("sk-secret-42").contains("defaultApiKey=****");
    }

    @Test
    void configuresTheOpenAiProvider() {
        OpenAiSpeechProvider p = OpenAiSpeechProvider.create(
                TtsSettings.fromEnvironment(Map.of("OMINIS_TTS_BASE_URL", "http://tts.internal:8880/openai")));
        assertThat(p.url()).isEqualTo("http://tts.internal:8880/openai/v1/audio/speech");
        assertThat(p.id()).isEqualTo("openai-compatible:tts.internal:8880/openai");
    }
}

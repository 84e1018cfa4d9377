package io.ominis.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.ivr.TtsCacheEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptKeyTest {

    private static final SpeechRequest BASE = new SpeechRequest("Welcome to Acme", "en", "alloy", "tts-1",
            SpeechFormat.WAV, null, null);

    private static String key(SpeechRequest r) {
        return PromptKey.of(r, "openai");
    }

    @Test
    void isLowerCaseHexSha256() {
        assertThat(key(BASE)).matches(TtsCacheEntry.HASH).hasSize(64);
        assertThat(key(BASE)).isEqualTo(key(BASE));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // "ab" + "c" and "a" + "bc" concatenate alike; the key must not.
        SpeechRequest abC = new SpeechRequest("ab", "en", "c", "tts-1", null, null, null);
        SpeechRequest aBc = new SpeechRequest("a", "en", "bc", "tts-1", null, null, null);
        assertThat(key(abC)).isNotEqualTo(key(aBc));

        SpeechRequest voiceModel1 = new SpeechRequest("hi", "en", "alloy1", "tts", null, null, null);
        SpeechRequest voiceModel2 = new SpeechRequest("hi", "en", "alloy", "1tts", null, null, null);
        assertThat(key(voiceModel1)).isNotEqualTo(key(voiceModel2));
    }

    @Test
    void composedAndDecomposedAccentsAreOneKey() {
        SpeechRequest composed = SpeechRequest.of("Caf\u00e9 ouvert", "fr", "alloy", "tts-1");
        SpeechRequest decomposed = SpeechRequest.of("Cafe\u0301 ouvert", "fr", "alloy", "tts-1");
        assertThat(decomposed.text()).isEqualTo("Caf\u00e9 ouvert");
        assertThat(key(composed)).isEqualTo(key(decomposed));
    }

    @Test
    void surroundingWhitespaceDoesNotCount() {
        assertThat(key(SpeechRequest.of(" \n Welcome to Acme\t ", "en", "alloy", "tts-1"))).isEqualTo(key(BASE));
    }

    @Test
    void everySettingThatChangesTheAudioChangesTheKey() {
        List<String> keys = List.of(
                key(BASE),
                key(SpeechRequest.of("Welcome to Acme!", "en", "alloy", "tts-1")),
                key(SpeechRequest.of("Welcome to Acme", "en", "nova", "tts-1")),
                key(SpeechRequest.of("Welcome to Acme", "en-GB", "alloy", "tts-1")),
                key(SpeechRequest.of("Welcome to Acme", "en", "alloy", "tts-1-hd")),
                key(BASE.withFormat(SpeechFormat.MP3)),
                key(BASE.withFormat(SpeechFormat.PCM)),
                key(BASE.withSpeed(1.25)),
                key(BASE.withInstructions("Cheerful")),
                PromptKey.of(BASE, "openai-compatible:localhost:8880"));
        Set<String> distinct = new HashSet<>(keys);
        assertThat(distinct).hasSize(keys.size());
    }

    @Test
    void equivalentSettingsShareAKey() {
        assertThat(key(BASE.withSpeed(1.0))).isEqualTo(key(BASE));
        assertThat(key(BASE.withSpeed(1.50))).isEqualTo(key(BASE.withSpeed(1.5)));
        assertThat(key(BASE.withInstructions("   "))).isEqualTo(key(BASE));
        assertThat(key(new SpeechRequest("Welcome to Acme", "en", "alloy", "tts-1", null, null, null)))
                .isEqualTo(key(BASE));
    }

    @Test
    void lockNumberIsTheDigestsFirstEightBytes() {
        String hash = "0123456789abcdef" + "0".repeat(48);
        assertThat(PromptKey.lockNumber(hash)).isEqualTo(0x0123456789abcdefL);
    }

    @Test
    void invalidRequestsNameTheField() {
        assertThatThrownBy(() -> SpeechRequest.of("   ", "en", "alloy", "tts-1"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("text:");
        assertThatThrownBy(() -> SpeechRequest.of("x".repeat(4097), "en", "alloy", "tts-1"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("text:");
        assertThatThrownBy(() -> SpeechRequest.of("hi", "english", "alloy", "tts-1"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("language:");
        assertThatThrownBy(() -> SpeechRequest.of("hi", "en", "al loy", "tts-1"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("voice:");
        assertThatThrownBy(() -> BASE.withSpeed(4.5))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("speed:");
        assertThatThrownBy(() -> SpeechFormat.parse("opus"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("response_format:");
        assertThat(SpeechFormat.parse(" MP3 ")).isEqualTo(SpeechFormat.MP3);
    }

    @Test
    void theFactoryAndTheConstructorTakeLanguageBeforeVoice() {
        SpeechRequest built = new SpeechRequest("Hola", "es", "nova", "tts-1", null, null, null);
        assertThat(SpeechRequest.of("Hola", "es", "nova", "tts-1")).isEqualTo(built);
        assertThat(built.language()).isEqualTo("es");
        assertThat(built.voice()).isEqualTo("nova");
    }
}

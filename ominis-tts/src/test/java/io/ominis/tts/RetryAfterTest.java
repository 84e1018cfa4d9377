package io.ominis.tts;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.tts.internal.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.parse(null, "7", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(RetryAfter.parse(null, "Sun, 01 Mar 2026 12:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(null, "Sun, 01 Mar 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void prefersOpenAisMilliseconds() {
        assertThat(RetryAfter.parse("250", "9", NOW)).contains(Duration.ofMillis(250));
        assertThat(RetryAfter.parse("12.5", null, NOW)).contains(Duration.ofMillis(13));
    }

    @Test
    void ignoresMalformedValues() {
        assertThat(RetryAfter.parse(null, "soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("x", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, "99999999999999999999999", NOW)).contains(Duration.ofDays(1));
    }
}

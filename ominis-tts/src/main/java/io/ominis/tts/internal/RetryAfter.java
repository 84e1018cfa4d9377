package io.ominis.tts.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a server asked us to wait: {@code retry-after-ms} (OpenAI's, milliseconds), else
 * {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Malformed values are ignored, so the caller
 * falls back to its own backoff; a date in the past means "now".
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The requested wait, or empty when neither header is present and well-formed. */
    public static Optional<Duration> parse(String retryAfterMs, String retryAfter, Instant now) {
        if (retryAfterMs != null) {
            try {
                double ms = Double.parseDouble(retryAfterMs.strip());
                if (ms >= 0 && ms < Long.MAX_VALUE) {
                    return Optional.of(Duration.ofMillis((long) Math.ceil(ms)));
                }
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        String v = retryAfter.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                // more digits than a long holds: treat as "very long", the caller caps it
                return Optional.of(Duration.ofDays(1));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

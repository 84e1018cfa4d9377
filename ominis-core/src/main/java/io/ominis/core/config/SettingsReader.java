package io.ominis.core.config;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Reads typed settings from an environment map (normally {@code System.getenv()}), failing on the first malformed one
 * with a {@link ConfigurationException} that names it. Blank values count as unset.
 */
public final class SettingsReader {

    private final Map<String, String> env;

    public SettingsReader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** The trimmed value, or null when unset or blank. */
    public String string(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The trimmed value, or {@code fallback} when unset or blank. */
    public String string(String name, String fallback) {
        String v = string(name);
        return v == null ? fallback : v;
    }

    /** Whether the setting is present and not blank. */
    public boolean has(String name) {
        return string(name) != null;
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when unset. */
    public int integer(String name, int fallback, int min, int max) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name, "must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    /** A duration given in milliseconds, within {@code [min, max]}, or {@code fallback} when unset. */
    public Duration millis(String name, Duration fallback, Duration min, Duration max) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(v);
            if (ms >= min.toMillis() && ms <= max.toMillis()) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(name, "must be a number of milliseconds from " + min.toMillis() + " to "
                + max.toMillis() + ", got '" + v + "'");
    }

    /** {@code true/false/yes/no/on/off/1/0}, or {@code fallback} when unset. */
    public boolean bool(String name, boolean fallback) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigurationException(name, "must be true or false, got '" + v + "'");
        };
    }
}

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
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name, rangeMessage(min, max, v));
        }
        return requireRange(name, n, min, max);
    }

    /**
     * {@code value} when it is within {@code [min, max]}: the check settings records make when built, with the message
     * {@link #integer} gives for the environment variable {@code name}.
     *
     * @throws ConfigurationException naming {@code name} otherwise
     */
    public static int requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigurationException(name, rangeMessage(min, max, Integer.toString(value)));
        }
        return value;
    }

    /**
     * {@code value} when it is within {@code [min, max]}, with the message {@link #millis} gives for {@code name}.
     *
     * @throws ConfigurationException naming {@code name} otherwise (also when {@code value} is null)
     */
    public static Duration requireMillis(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException(name, millisMessage(min, max, value == null ? "null"
                    : Long.toString(value.toMillis())));
        }
        return value;
    }

    private static String rangeMessage(int min, int max, String given) {
        return "must be a whole number from " + min + " to " + max + ", got '" + given + "'";
    }

    private static String millisMessage(Duration min, Duration max, String given) {
        return "must be a number of milliseconds from " + min.toMillis() + " to " + max.toMillis() + ", got '"
                + given + "'";
    }

    /** A duration given in milliseconds, within {@code [min, max]}, or {@code fallback} when unset. */
    public Duration millis(String name, Duration fallback, Duration min, Duration max) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        long ms;
        try {
            ms = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name, millisMessage(min, max, v));
        }
        return requireMillis(name, Duration.ofMillis(ms), min, max);
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

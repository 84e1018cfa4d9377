package io.ominis.core;

import java.util.Objects;

/**
 * A setting is missing or malformed. The message is one line that names the setting, because it is what an operator
 * sees when start-up stops.
 */
public class ConfigurationException extends OminisException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public ConfigurationException(String setting, String reason) {
        super(Objects.requireNonNull(setting, "setting") + ": " + Objects.requireNonNull(reason, "reason"));
        this.setting = setting;
    }

    /** The name of the environment variable or option that is wrong. */
    public String setting() {
        return setting;
    }
}

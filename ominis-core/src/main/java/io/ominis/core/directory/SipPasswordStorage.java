package io.ominis.core.directory;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;
import java.util.Map;

/**
 * How a SIP password written through Ominis is kept ({@code OMINIS_SIP_PASSWORD_STORAGE}). Reading works the same in
 * both: an extension is served with whatever credential it holds.
 */
public enum SipPasswordStorage implements WireValue {
    /** The password itself, in {@code extensions.password}; FreeSWITCH gets {@code password}. */
    PLAIN("plain"),
    /**
     * Only {@link A1Hash} per served domain ({@code extension_a1_hashes}); the password column stays NULL and
     * FreeSWITCH gets {@code a1-hash}. A domain added later has no hash until the password is set again.
     */
    A1_HASH("a1-hash");

    /** The environment variable that chooses the mode. */
    public static final String SETTING = "OMINIS_SIP_PASSWORD_STORAGE";

    private final String wire;

    SipPasswordStorage(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /**
     * Reads {@value #SETTING}, default {@link #PLAIN}.
     *
     * @throws ConfigurationException naming the setting when it is neither {@code plain} nor {@code a1-hash}
     */
    public static SipPasswordStorage fromEnvironment(Map<String, String> environment) {
        String value = environment.get(SETTING);
        if (value == null || value.isBlank()) {
            return PLAIN;
        }
        try {
            return WireValue.parse(SipPasswordStorage.class, value.strip(), SETTING);
        } catch (InvalidValueException e) {
            throw new ConfigurationException(SETTING, e.reason());
        }
    }

    @Override
    public String toString() {
        return wire;
    }
}

package io.ominis.core.directory;

import io.ominis.core.WireValue;

/** Whether an extension may register and place calls; only {@link #ACTIVE} users are served to FreeSWITCH. */
public enum ExtensionStatus implements WireValue {
    ACTIVE("active"),
    INACTIVE("inactive"),
    SUSPENDED("suspended");

    private final String wire;

    ExtensionStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}

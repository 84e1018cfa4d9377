package io.ominis.core.callcenter;

import io.ominis.core.WireValue;

/** The state of an agent within one queue (a tier), as mod_callcenter names it. */
public enum TierState implements WireValue {
    NO_ANSWER("No Answer"),
    READY("Ready"),
    OFFERING("Offering"),
    ACTIVE_INBOUND("Active Inbound"),
    STANDBY("Standby"),
    UNKNOWN("Unknown");

    private final String wire;

    TierState(String wire) {
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

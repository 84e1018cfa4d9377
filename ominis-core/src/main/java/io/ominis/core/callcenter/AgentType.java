package io.ominis.core.callcenter;

import io.ominis.core.WireValue;

/** How mod_callcenter reaches an agent: by originating to its contact, or by a standing channel ({@code uuid-standby}). */
public enum AgentType implements WireValue {
    CALLBACK("Callback"),
    UUID_STANDBY("uuid-standby");

    private final String wire;

    AgentType(String wire) {
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

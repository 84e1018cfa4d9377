package io.ominis.core.callcenter;

import io.ominis.core.WireValue;

/** An agent's availability as mod_callcenter names it; only {@code Available}, {@code Available (On Demand)} and {@code On Break} agents are offered calls. */
public enum AgentStatus implements WireValue {
    LOGGED_OUT("Logged Out"),
    AVAILABLE("Available"),
    AVAILABLE_ON_DEMAND("Available (On Demand)"),
    ON_BREAK("On Break"),
    UNKNOWN("Unknown");

    private final String wire;

    AgentStatus(String wire) {
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

package io.ominis.core.callcenter;

import io.ominis.core.WireValue;

/** What an agent is doing right now, as mod_callcenter names it. */
public enum AgentState implements WireValue {
    WAITING("Waiting"),
    RECEIVING("Receiving"),
    IN_A_QUEUE_CALL("In a queue call"),
    IDLE("Idle"),
    RESERVED("Reserved"),
    UNKNOWN("Unknown");

    private final String wire;

    AgentState(String wire) {
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

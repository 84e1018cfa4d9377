package io.ominis.core.callcenter;

import io.ominis.core.WireValue;

/** The state of a caller waiting in a queue, as mod_callcenter names it. */
public enum MemberState implements WireValue {
    WAITING("Waiting"),
    TRYING("Trying"),
    ANSWERED("Answered"),
    ABANDONED("Abandoned"),
    UNKNOWN("Unknown");

    private final String wire;

    MemberState(String wire) {
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

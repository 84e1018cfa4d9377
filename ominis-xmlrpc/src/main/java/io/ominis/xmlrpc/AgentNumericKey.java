package io.ominis.xmlrpc;

import io.ominis.core.WireValue;

/** The numeric agent settings {@code callcenter_config agent set <key>} accepts; all are seconds except {@code max_no_answer}. */
public enum AgentNumericKey implements WireValue {
    MAX_NO_ANSWER("max_no_answer"),
    WRAP_UP_TIME("wrap_up_time"),
    READY_TIME("ready_time"),
    REJECT_DELAY_TIME("reject_delay_time"),
    BUSY_DELAY_TIME("busy_delay_time"),
    NO_ANSWER_DELAY_TIME("no_answer_delay_time");

    private final String wire;

    AgentNumericKey(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

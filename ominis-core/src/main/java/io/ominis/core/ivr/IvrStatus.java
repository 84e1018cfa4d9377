package io.ominis.core.ivr;

import io.ominis.core.WireValue;

/** Life-cycle of an IVR's FreeSWITCH pod, as the spec's {@code ivrs.status} names it. */
public enum IvrStatus implements WireValue {
    PENDING("pending"),
    RUNNING("running"),
    STOPPED("stopped"),
    ERROR("error");

    private final String wire;

    IvrStatus(String wire) {
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

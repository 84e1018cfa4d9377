package io.ominis.core.switchstate;

/**
 * One row of FreeSWITCH's {@code detailed_calls} view: a bridged call (caller and callee legs) or an unbridged channel
 * (callee {@code null}). The view carries no {@code initial_*} columns, so those components of both legs are null.
 */
public record DetailedCall(Channel caller, Channel callee, Integer callCreatedEpoch) {

    /** Whether this row is a bridge of two legs rather than a lone channel. */
    public boolean bridged() {
        return callee != null;
    }
}

package io.ominis.xmlrpc;

import io.ominis.core.switchstate.Channel;

/**
 * One row of {@code show calls}, i.e. FreeSWITCH's {@code basic_calls} view: a bridged call (caller and callee leg)
 * or a lone channel ({@code callee} null). The view carries only part of each leg: no application, codec, dialplan,
 * context or {@code initial_*} columns, and the callee has no {@code call_uuid} or {@code hostname}; those
 * components are null.
 *
 * @param callCreatedEpoch seconds since the epoch when the bridge was made; null for a lone channel
 */
public record BasicCall(Channel caller, Channel callee, Integer callCreatedEpoch) {

    /** Whether this row is a bridge of two legs rather than a lone channel. */
    public boolean bridged() {
        return callee != null;
    }
}

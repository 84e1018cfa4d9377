package io.ominis.core.switchstate;

/**
 * One row of FreeSWITCH's {@code calls} table: a bridge between a caller leg and a callee leg on one switch.
 *
 * @param callCreatedEpoch seconds since the epoch when the bridge was made
 */
public record Call(
        String callUuid,
        String callCreated,
        Integer callCreatedEpoch,
        String callerUuid,
        String calleeUuid,
        String hostname) {
}

package io.ominis.core.callcenter;

/**
 * One row of mod_callcenter's {@code members} table: a caller in a queue. Epoch components are seconds since the
 * epoch, 0 when the event has not happened.
 */
public record Member(
        String queue,
        String instanceId,
        String uuid,
        String sessionUuid,
        String cidNumber,
        String cidName,
        int systemEpoch,
        int joinedEpoch,
        int rejoinedEpoch,
        int bridgeEpoch,
        int abandonedEpoch,
        int baseScore,
        int skillScore,
        String servingAgent,
        String servingSystem,
        MemberState state) {
}

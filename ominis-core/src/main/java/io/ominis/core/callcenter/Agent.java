package io.ominis.core.callcenter;

/**
 * One row of mod_callcenter's {@code agents} table. Times ({@code last_*}) are seconds since the epoch; durations
 * ({@code *_time}) are seconds. {@code type} is kept as FreeSWITCH stored it (it keeps the caller's spelling).
 */
public record Agent(
        String name,
        String instanceId,
        String uuid,
        String type,
        String contact,
        AgentStatus status,
        AgentState state,
        int maxNoAnswer,
        int wrapUpTime,
        int rejectDelayTime,
        int busyDelayTime,
        int noAnswerDelayTime,
        int lastBridgeStart,
        int lastBridgeEnd,
        int lastOfferedCall,
        int lastStatusChange,
        int noAnswerCount,
        int callsAnswered,
        int talkTime,
        int readyTime,
        int externalCallsCount) {
}

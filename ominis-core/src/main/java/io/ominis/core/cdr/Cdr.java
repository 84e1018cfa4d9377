package io.ominis.core.cdr;

import java.time.LocalDateTime;

/**
 * One call detail record ({@code cdr} table), written by mod_odbc_cdr when a leg hangs up. Timestamps are the switch's
 * local wall-clock time, exactly as FreeSWITCH writes them; {@code answerStamp} is null for unanswered calls.
 *
 * @param duration seconds from start to end
 * @param billsec  seconds from answer to end
 * @param jsonCdr  the full JSON CDR where another writer (mod_json_cdr) supplies it; mod_odbc_cdr cannot
 */
public record Cdr(
        String uuid,
        String callerIdName,
        String callerIdNumber,
        String destinationNumber,
        String context,
        LocalDateTime startStamp,
        LocalDateTime answerStamp,
        LocalDateTime endStamp,
        Integer duration,
        Integer billsec,
        String hangupCause,
        String jsonCdr,
        String queueName,
        String agentName,
        String memberSessionUuid,
        String memberState,
        String switchName,
        LocalDateTime createdAt) {
}

package io.ominis.core.cdr;

import io.ominis.core.InvalidValueException;
import java.time.LocalDateTime;

/**
 * Which CDRs to list. Every component is optional; null means "any". Text components match exactly.
 *
 * @param from        inclusive lower bound on {@code start_stamp}
 * @param to          exclusive upper bound on {@code start_stamp}
 * @param caller      matches {@code caller_id_number}
 * @param destination matches {@code destination_number}
 * @param switchName  matches {@code switch_name}, the FreeSWITCH node
 */
public record CdrFilter(
        LocalDateTime from,
        LocalDateTime to,
        String queue,
        String agent,
        String hangupCause,
        String caller,
        String destination,
        String switchName) {

    /** No restriction at all. */
    public static final CdrFilter ANY = new CdrFilter(null, null, null, null, null, null, null, null);

    public CdrFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidValueException("from", "must be before 'to'");
        }
    }

    /** Records that started in {@code [from, to)}. */
    public static CdrFilter between(LocalDateTime from, LocalDateTime to) {
        return new CdrFilter(from, to, null, null, null, null, null, null);
    }

    public CdrFilter withQueue(String value) {
        return new CdrFilter(from, to, value, agent, hangupCause, caller, destination, switchName);
    }

    public CdrFilter withAgent(String value) {
        return new CdrFilter(from, to, queue, value, hangupCause, caller, destination, switchName);
    }

    public CdrFilter withHangupCause(String value) {
        return new CdrFilter(from, to, queue, agent, value, caller, destination, switchName);
    }

    public CdrFilter withCaller(String value) {
        return new CdrFilter(from, to, queue, agent, hangupCause, value, destination, switchName);
    }

    public CdrFilter withDestination(String value) {
        return new CdrFilter(from, to, queue, agent, hangupCause, caller, value, switchName);
    }

    public CdrFilter withSwitchName(String value) {
        return new CdrFilter(from, to, queue, agent, hangupCause, caller, destination, value);
    }
}

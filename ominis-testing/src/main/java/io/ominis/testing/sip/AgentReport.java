package io.ominis.testing.sip;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link AnsweringAgent} did between being started and stopped.
 *
 * @param registration the REGISTER done before answering
 * @param answeredCallIds Call-IDs of the INVITEs answered (200 sent and ACK received), in order
 * @param hungUpBySwitch how many of them the switch ended with BYE (the others the agent ended itself, or were
 *                       still up when it stopped)
 * @param unregistration the un-REGISTER done after stopping
 */
public record AgentReport(Registration registration, List<String> answeredCallIds, int hungUpBySwitch,
                          Registration unregistration) {

    /** Copies the list. */
    public AgentReport {
        Objects.requireNonNull(registration, "registration");
        answeredCallIds = List.copyOf(answeredCallIds);
        Objects.requireNonNull(unregistration, "unregistration");
    }

    /** How many calls were answered. */
    public int answeredCalls() {
        return answeredCallIds.size();
    }
}

package io.ominis.core.switchstate;

import io.ominis.core.InvalidValueException;
import io.ominis.core.callcenter.AgentStatus;
import java.util.Set;

/**
 * What a stale-state repair should do with the rows of nodes unreachable longer than the configured time. Each kind
 * is opt-in, so a caller names exactly what goes; {@link #dryRun} reports what would happen and changes nothing.
 *
 * @param nodes         stale nodes in scope; empty for every stale node
 * @param members       delete their {@code members} rows (callers who were waiting or being served there)
 * @param agentStatus   set the agents they were ringing or bridging to this status, state {@code Waiting} and uuid
 *                      empty; null leaves agents alone
 * @param channels      delete their {@code channels} rows
 * @param calls         delete their {@code calls} rows
 * @param registrations delete their {@code registrations} rows
 * @param dryRun        report only
 */
public record StaleRepair(Set<String> nodes, boolean members, AgentStatus agentStatus, boolean channels,
        boolean calls, boolean registrations, boolean dryRun) {

    public StaleRepair {
        nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
        if (agentStatus == AgentStatus.UNKNOWN) {
            throw new InvalidValueException("agentStatus", "must be a status mod_callcenter accepts, not 'Unknown'");
        }
        if (!members && agentStatus == null && !channels && !calls && !registrations) {
            throw new InvalidValueException("repair", "names nothing to do; choose members, agentStatus, channels, "
                    + "calls or registrations");
        }
    }

    /** Every kind: members, agents to {@code agentStatus}, channels, calls and registrations of every stale node. */
    public static StaleRepair everything(AgentStatus agentStatus, boolean dryRun) {
        return new StaleRepair(Set.of(), true, agentStatus, true, true, true, dryRun);
    }

    /** Whether agents are reset. */
    public boolean agents() {
        return agentStatus != null;
    }
}

package io.ominis.core.switchstate;

import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.Member;
import java.util.List;

/**
 * The rows stale nodes left behind, as found (or, after a repair, as removed or reset), with the verdict that made
 * them stale. Members are a stale node's when their caller's channel is on its switchname or their
 * {@code instance_id} is a {@code cc-instance-id} only stale nodes use; agents are those such members were being
 * served by, or whose uuid is a channel of a stale switchname; none of them is tied to a live node's channel.
 *
 * @param liveness      which nodes were judged stale and which live
 * @param members       the stale members
 * @param agents        the agents they held (as they were before a reset)
 * @param channels      the stale channels
 * @param calls         the stale bridged calls
 * @param registrations the stale registrations
 * @param repaired      false for a dry run or a plain look
 */
public record StaleState(NodeLiveness liveness, List<Member> members, List<Agent> agents, List<Channel> channels,
        List<Call> calls, List<Registration> registrations, boolean repaired) {

    public StaleState {
        members = List.copyOf(members);
        agents = List.copyOf(agents);
        channels = List.copyOf(channels);
        calls = List.copyOf(calls);
        registrations = List.copyOf(registrations);
    }

    /** Rows found, over all kinds. */
    public int total() {
        return members.size() + agents.size() + channels.size() + calls.size() + registrations.size();
    }
}

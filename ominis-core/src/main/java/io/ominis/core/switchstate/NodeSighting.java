package io.ominis.core.switchstate;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the servers know about one FreeSWITCH node's reachability, as recorded durably so that every server replica
 * and a restarted server judge it alike: when it last answered over XML-RPC and what it calls itself in the core
 * tables.
 *
 * @param node         the node's name in {@code OMINIS_FREESWITCH_NODES}
 * @param switchname   its {@code switchname} (the {@code hostname} of its channels, calls and registrations), as it
 *                     last answered the {@code switchname} API; null if it never answered
 * @param ccInstanceId the {@code cc-instance-id} its mod_callcenter writes into {@code members.instance_id}
 * @param firstChecked when a server first tried to reach it
 * @param lastChecked  when a server last tried
 * @param lastSeen     when it last answered; null if never
 * @param lastError    the last failure's message, null after an answer
 */
public record NodeSighting(String node, String switchname, String ccInstanceId, Instant firstChecked,
        Instant lastChecked, Instant lastSeen, String lastError) {

    /** mod_callcenter's {@code cc-instance-id} when none is configured; what {@code callcenter.conf} serves now. */
    public static final String SINGLE_BOX = "single_box";

    public NodeSighting {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(firstChecked, "firstChecked");
        Objects.requireNonNull(lastChecked, "lastChecked");
        ccInstanceId = ccInstanceId == null ? SINGLE_BOX : ccInstanceId;
    }

    /**
     * How long the node has gone without answering at {@code now}: since its last answer, or since the first attempt
     * when it never answered. Never negative.
     */
    public Duration silentFor(Instant now) {
        Instant since = lastSeen != null ? lastSeen : firstChecked;
        Duration d = Duration.between(since, now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Whether the node has been unreachable for longer than {@code after} at {@code now}. */
    public boolean staleAt(Instant now, Duration after) {
        return silentFor(now).compareTo(after) > 0;
    }
}

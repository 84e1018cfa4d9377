package io.ominis.core.config;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * When a FreeSWITCH node counts as gone for stale-state repair, and how often the servers probe the nodes to tell.
 *
 * @param staleAfter {@code OMINIS_STALE_NODE_AFTER_MS}: a node that has not answered any server for longer than this
 *                   is stale (default 5 minutes); its leftover rows may be repaired
 * @param probeEvery {@code OMINIS_NODE_PROBE_INTERVAL_MS}: how often each server asks every node its
 *                   {@code switchname} and records the answer (default 10 s); must be well below {@code staleAfter},
 *                   or a live node would look stale between two probes
 */
public record StaleStateSettings(Duration staleAfter, Duration probeEvery) {

    /** The shortest {@code staleAfter} accepted. */
    public static final Duration MIN_STALE_AFTER = Duration.ofSeconds(1);

    public StaleStateSettings {
        if (staleAfter == null || staleAfter.compareTo(MIN_STALE_AFTER) < 0) {
            throw new ConfigurationException("OMINIS_STALE_NODE_AFTER_MS", "must be at least 1000 ms");
        }
        if (probeEvery == null || probeEvery.isNegative() || probeEvery.isZero()) {
            throw new ConfigurationException("OMINIS_NODE_PROBE_INTERVAL_MS", "must be positive");
        }
        if (probeEvery.multipliedBy(2).compareTo(staleAfter) > 0) {
            throw new ConfigurationException("OMINIS_NODE_PROBE_INTERVAL_MS", "must be at most half of "
                    + "OMINIS_STALE_NODE_AFTER_MS (" + staleAfter.toMillis() + " ms), got " + probeEvery.toMillis()
                    + " ms: a live node would look stale between two probes");
        }
    }

    /** Five minutes, probed every ten seconds. */
    public static StaleStateSettings defaults() {
        return new StaleStateSettings(Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    /**
     * Reads the settings from an environment map.
     *
     * @throws ConfigurationException naming the first setting that is wrong
     */
    public static StaleStateSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        return new StaleStateSettings(
                env.millis("OMINIS_STALE_NODE_AFTER_MS", Duration.ofMinutes(5), MIN_STALE_AFTER, Duration.ofDays(30)),
                env.millis("OMINIS_NODE_PROBE_INTERVAL_MS", Duration.ofSeconds(10), Duration.ofMillis(100),
                        Duration.ofMinutes(10)));
    }
}

package io.ominis.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ominis.core.switchstate.StaleState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics of stale-state repair: {@code ominis.stale.nodes} (stale nodes at the last look),
 * {@code ominis.stale.rows{kind}} (rows found then, per kind) and {@code ominis.stale.rows.repaired{kind}} (rows
 * removed or reset since start). A look is a find or a dry run through the API.
 */
public final class StaleStateMeters {

    private static final String[] KINDS = {"members", "agents", "channels", "calls", "registrations"};

    private final AtomicLong nodes = new AtomicLong();
    private final Map<String, AtomicLong> found = new LinkedHashMap<>();
    private final Map<String, Counter> repaired = new LinkedHashMap<>();

    public StaleStateMeters(MeterRegistry registry) {
        Gauge.builder("ominis.stale.nodes", nodes, AtomicLong::get)
                .description("FreeSWITCH nodes unreachable longer than OMINIS_STALE_NODE_AFTER_MS at the last look")
                .register(registry);
        for (String kind : KINDS) {
            AtomicLong value = new AtomicLong();
            found.put(kind, value);
            Gauge.builder("ominis.stale.rows", value, AtomicLong::get).tag("kind", kind)
                    .description("rows of stale nodes found at the last look").register(registry);
            repaired.put(kind, Counter.builder("ominis.stale.rows.repaired").tag("kind", kind)
                    .description("rows of stale nodes removed (agents: reset) by repairs").register(registry));
        }
    }

    /** Records what a look found. */
    public void found(StaleState state) {
        nodes.set(state.liveness().stale().size() + state.liveness().spared().size());
        found.get("members").set(state.members().size());
        found.get("agents").set(state.agents().size());
        found.get("channels").set(state.channels().size());
        found.get("calls").set(state.calls().size());
        found.get("registrations").set(state.registrations().size());
    }

    /** Records what a repair did. */
    public void repaired(StaleState state) {
        repaired.get("members").increment(state.members().size());
        repaired.get("agents").increment(state.agents().size());
        repaired.get("channels").increment(state.channels().size());
        repaired.get("calls").increment(state.calls().size());
        repaired.get("registrations").increment(state.registrations().size());
    }
}

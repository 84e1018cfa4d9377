package io.ominis.api.freeswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.switchstate.NodeSighting;
import io.ominis.db.NodeSightings;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.FreeSwitchCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The probe behind stale-state repair: an answering node is recorded with its switchname, a frozen one (accepts, never
 * answers) and a refused one are recorded as failures within the fan-out timeout, and a failure never moves
 * {@code last_seen}.
 */
class NodeWatchTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void recordsAnswersAndFailuresWithinTheTimeoutEvenWhenANodeFreezes() throws Exception {
        try (FreeSwitchStandIn up = new FreeSwitchStandIn(db);
             ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int refusedPort = closed.getLocalPort();
            closed.close();
            FreeSwitchCluster cluster = FreeSwitchCluster.builder()
                    .nodes("up=" + up.url() + ",frozen=http://freeswitch:works@127.0.0.1:" + frozen.getLocalPort()
                            + ",gone=http://freeswitch:works@127.0.0.1:" + refusedPort)
                    .fanOutTimeout(Duration.ofSeconds(2))
                    .build();
            NodeSightings sightings = new NodeSightings(db.dataSource());
            try (cluster; NodeWatch watch = new NodeWatch(cluster, sightings)) {
                long start = System.nanoTime();
                assertThat(watch.probe()).isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

                Map<String, NodeSighting> byNode = sightings.list().stream()
                        .collect(Collectors.toMap(NodeSighting::node, Function.identity()));
                assertThat(byNode.keySet()).containsExactlyInAnyOrder("up", "frozen", "gone");
                assertThat(byNode.get("up").switchname()).isEqualTo("standin-switch");
                assertThat(byNode.get("up").lastSeen()).isNotNull();
                assertThat(byNode.get("up").lastError()).isNull();
                for (String dead : List.of("frozen", "gone")) {
                    assertThat(byNode.get(dead).lastSeen()).isNull();
                    assertThat(byNode.get(dead).switchname()).isNull();
                    assertThat(byNode.get(dead).lastError()).isNotBlank().doesNotContain("works");
                }
                assertThat(up.probes()).isEqualTo(1);

                // the up node stops answering: its last answer stays as it was
                java.time.Instant seen = byNode.get("up").lastSeen();
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("UPDATE freeswitch_node_sightings SET last_seen = last_seen - interval '1 minute'");
                }
                up.close();
                assertThat(watch.probe()).isZero();
                NodeSighting after = sightings.list().stream().filter(s -> s.node().equals("up")).findFirst()
                        .orElseThrow();
                assertThat(after.lastSeen()).isEqualTo(seen.minusSeconds(60));
                assertThat(after.switchname()).isEqualTo("standin-switch");
                assertThat(after.lastError()).isNotBlank();
            }
        }
    }

    @Test
    void theScheduleKeepsRecording() throws Exception {
        try (FreeSwitchStandIn up = new FreeSwitchStandIn(db)) {
            FreeSwitchCluster cluster = FreeSwitchCluster.builder().nodes("again=" + up.url()).build();
            try (cluster; NodeWatch watch = new NodeWatch(cluster, new NodeSightings(db.dataSource()))) {
                watch.start(Duration.ofMillis(100));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (up.probes() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(up.probes()).isGreaterThanOrEqualTo(3);
            }
        }
    }
}

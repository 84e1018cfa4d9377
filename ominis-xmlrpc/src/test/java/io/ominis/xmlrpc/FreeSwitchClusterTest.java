package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreeSwitchClusterTest {

    private MockWebServer fs1;
    private MockWebServer fs2;
    private MockWebServer fs3;

    @BeforeEach
    void start() throws IOException {
        fs1 = new MockWebServer();
        fs2 = new MockWebServer();
        fs3 = new MockWebServer();
        fs1.start();
        fs2.start();
        fs3.start();
    }

    @AfterEach
    void stop() throws IOException {
        fs1.shutdown();
        fs2.shutdown();
        fs3.shutdown();
    }

    static String entry(String name, MockWebServer server) {
        return name + "=http://freeswitch:works@" + server.getHostName() + ":" + server.getPort();
    }

    @Test
    void parsesNodesWithPercentDecodedCredentials() {
        List<FreeSwitchNode> nodes = FreeSwitchNode.parseAll(
                " fs1=http://freeswitch:works@10.0.0.5:8080 , fs-2=https://ops%40tenant:p%2Cw%3Ad%25@fs2.example:8443");

        assertThat(nodes).containsExactly(
                new FreeSwitchNode("fs1", "http://10.0.0.5:8080", "freeswitch", "works"),
                new FreeSwitchNode("fs-2", "https://fs2.example:8443", "ops@tenant", "p,w:d%"));
        assertThat(nodes.get(1).toString()).doesNotContain("p,w:d%");
    }

    @Test
    void invalidNodeSettingsNameTheEntryAndNeverThePassword() {
        assertThatThrownBy(() -> FreeSwitchNode.parseAll(""))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("OMINIS_FREESWITCH_NODES: ");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("fs1=http://u:topsecret@h:8080,fs1=http://u:topsecret@h:8081"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("twice").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("fs1=http://h:8080"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("fs1=ftp://u:topsecret@h"))
                .isInstanceOf(ConfigurationException.class).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("fs1=http://u:topsecret@h:8080/RPC2"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no path").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("http://u:topsecret@h:8080"))
                .isInstanceOf(ConfigurationException.class).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> FreeSwitchNode.parseAll("f s=http://u:topsecret@h:8080"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("entry 1");
        assertThatCode(() -> FreeSwitchNode.parseAll("fs1=http://u:topsecret@h:8080"))
                .doesNotThrowAnyException();
    }

    @Test
    void fanOutReportsEachNodeAndIsNotBlockedByADownOrHangingNode() throws IOException {
        int refusedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            refusedPort = socket.getLocalPort();
        }
        fs1.enqueue(FsReplies.string("+OK acl reloaded\n"));
        fs2.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        String nodes = entry("fs1", fs1) + "," + entry("fs2", fs2) + ",fs3=http://freeswitch:works@127.0.0.1:" + refusedPort;
        try (FreeSwitchCluster cluster = FreeSwitchCluster.builder()
                .nodes(nodes)
                .fanOutTimeout(Duration.ofMillis(800))
                .clientOptions(c -> c.readTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofSeconds(10)).retries(0))
                .build()) {

            long start = System.nanoTime();
            List<NodeResult<Void>> results = cluster.reloadAcl();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(results).extracting(NodeResult::node).containsExactly("fs1", "fs2", "fs3");
            assertThat(results.get(0).ok()).isTrue();
            assertThat(results.get(1).error()).isInstanceOf(XmlRpcTransportException.class)
                    .hasMessageContaining("fan-out timeout");
            assertThat(results.get(2).error()).isInstanceOf(XmlRpcTransportException.class)
                    .hasMessageContaining("fs3").hasMessageNotContaining("works");

            List<NodeHealth> health = cluster.health();
            assertThat(health.get(0).healthy()).isTrue();
            assertThat(health.get(0).lastSuccess()).isNotNull();
            assertThat(health.get(2).healthy()).isFalse();
            assertThat(health.get(2).consecutiveFailures()).isEqualTo(1);
            assertThat(health.get(2).lastError()).contains("cannot connect");
        }
    }

    @Test
    void flushAndQueueReloadReachEveryNode() throws Exception {
        fs1.enqueue(FsReplies.string("+OK cleared 1 entry\n"));
        fs2.enqueue(FsReplies.string("+OK cleared 0 entries\n"));
        fs3.enqueue(FsReplies.string("+OK cleared 2 entries\n"));
        fs1.enqueue(FsReplies.string("+OK\n"));
        fs2.enqueue(FsReplies.string("-ERR Invalid Queue not found!\n"));
        fs3.enqueue(FsReplies.string("+OK\n"));
        try (FreeSwitchCluster cluster = FreeSwitchCluster.builder()
                .nodes(entry("fs1", fs1) + "," + entry("fs2", fs2) + "," + entry("fs3", fs3)).build()) {

            assertThat(cluster.xmlFlushCache("1000", "default")).extracting(NodeResult::value).containsExactly(1, 0, 2);
            List<NodeResult<Void>> reloads = cluster.queueReload("support@default");
            assertThat(reloads).extracting(NodeResult::ok).containsExactly(true, false, true);
            assertThat(reloads.get(1).error()).isInstanceOf(FreeSwitchErrorException.class);
            assertThat(cluster.health()).allMatch(NodeHealth::healthy);
            assertThatThrownBy(() -> cluster.client("fs9")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> cluster.xmlFlushCache("1000 default", "x"))
                    .isInstanceOf(InvalidValueException.class);
        }
        assertThat(fs1.getRequestCount() + fs2.getRequestCount() + fs3.getRequestCount()).isEqualTo(6);
    }

    @Test
    void queueCommandsGoOnlyToTheNamedNodes() throws Exception {
        fs2.enqueue(FsReplies.string("+OK\n"));
        fs1.enqueue(FsReplies.string("+OK\n"));
        fs2.enqueue(FsReplies.string("+OK\n"));
        fs3.enqueue(FsReplies.string("+OK\n"));
        try (FreeSwitchCluster cluster = FreeSwitchCluster.builder()
                .nodes(entry("fs1", fs1) + "," + entry("fs2", fs2) + "," + entry("fs3", fs3)).build()) {

            List<NodeResult<Void>> loads = cluster.queueCommand(QueueCommand.LOAD, "sales@default", List.of("fs2"));
            assertThat(loads).extracting(NodeResult::node).containsExactly("fs2");
            assertThat(loads.get(0).ok()).isTrue();
            assertThat(fs2.takeRequest().getBody().readUtf8()).contains("queue load sales@default");
            assertThat(fs1.getRequestCount() + fs3.getRequestCount()).isZero();

            List<NodeResult<Void>> unloads = cluster.queueCommand(QueueCommand.UNLOAD, "sales@default", List.of());
            assertThat(unloads).extracting(NodeResult::node).containsExactly("fs1", "fs2", "fs3");
            assertThat(unloads).allMatch(NodeResult::ok);
            assertThat(fs1.takeRequest().getBody().readUtf8()).contains("queue unload sales@default");

            assertThatThrownBy(() -> cluster.queueCommand(QueueCommand.RELOAD, "q", List.of("fs9")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fs9");
            assertThatThrownBy(() -> cluster.queueCommand(QueueCommand.RELOAD, "q x", List.of()))
                    .isInstanceOf(InvalidValueException.class);
        }
    }
}

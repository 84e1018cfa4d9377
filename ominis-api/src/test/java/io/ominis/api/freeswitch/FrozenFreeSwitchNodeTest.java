package io.ominis.api.freeswitch;

import io.ominis.xmlrpc.FreeSwitchNodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.fault.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A FreeSWITCH node whose mod_xml_rpc stops answering (a {@link TcpProxy} in front of the stand-in freezes every
 * connection, and accepts new ones without answering): an ACL write still answers within the cluster's fan-out bound,
 * committed, with the node's failure in its reload report; the rest of the server is not held up; once the node
 * answers again a reload reaches it.
 */
class FrozenFreeSwitchNodeTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Printed after the test: JavalinTest captures standard output while one runs. */
    private static final java.util.List<String> FIGURES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void printFigures() {
        FIGURES.forEach(f -> System.out.println("[figures] " + f));
    }

    @Test
    void anAclWriteAnswersWithinTheFanOutBoundWhileTheNodeIsFrozen() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db);
                TcpProxy proxy = TcpProxy.to("127.0.0.1", fs.port())) {
            ServerSettings settings = ServerFixture.settings(db, Map.of(
                    "OMINIS_FREESWITCH_NODES", "fs1=" + FreeSwitchStandIn.url(proxy.port()),
                    "OMINIS_ACL_RELOAD_WINDOW_MS", "200"));
            FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
            try (nodes; OminisServer server = OminisServer.create(settings, db.dataSource(), nodes)) {
                ContractCheck.test(server.app(), (srv, client) -> {
                    JsonNode ok = JSON.readTree(client.post("/v1/acl",
                            "{\"list_name\":\"office\",\"cidr\":\"192.0.2.0/24\"}").body().string());
                    assertThat(ok.at("/reload/status").asText()).isEqualTo("ok");

                    proxy.freezeAll();
                    long start = System.nanoTime();
                    CompletableFuture<io.javalin.testtools.Response> write = CompletableFuture.supplyAsync(() -> client.post(
                            "/v1/acl", "{\"list_name\":\"office\",\"cidr\":\"198.51.100.0/24\"}"));
                    Thread.sleep(500);
                    long healthStart = System.nanoTime();
                    assertThat(client.get("/health/live").code()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - healthStart)).isLessThan(Duration.ofMillis(500));
                    assertThat(write).isNotDone(); // still waiting for the node, as it should

                    io.javalin.testtools.Response answer = write.get(15, TimeUnit.SECONDS);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    JsonNode body = JSON.readTree(answer.body().string());
                    FIGURES.add("frozen XML-RPC node: ACL write answered " + answer.code() + " "
                            + body.at("/reload/status").asText() + " after " + took.toMillis() + " ms");
                    assertThat(answer.code()).isEqualTo(201);
                    assertThat(body.at("/reload/status").asText()).isEqualTo("failed");
                    assertThat(body.at("/reload/nodes/0/ok").asBoolean()).isFalse();
                    // the window, the fan-out bound of 5 s and some slack; never the 15 s call timeout or worse
                    assertThat(took).isLessThan(Duration.ofSeconds(8));
                    assertThat(count("SELECT count(*) FROM acl_entries WHERE cidr = '198.51.100.0/24'")).isEqualTo(1);

                    proxy.restore();
                    long reloadsBefore = fs.count("reloadacl");
                    var reload = client.post("/v1/acl/reload", "");
                    assertThat(reload.code()).as(reload.body().string()).isEqualTo(200);
                    assertThat(fs.count("reloadacl")).isGreaterThan(reloadsBefore);
                });
            }
        }
    }

    private static long count(String query) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

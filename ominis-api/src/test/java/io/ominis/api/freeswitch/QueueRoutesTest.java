package io.ominis.api.freeswitch;

import io.ominis.xmlrpc.FreeSwitchNodes;
import static io.ominis.api.ApiCalls.assertProblem;
import static io.ominis.api.ApiCalls.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.ContractCheck;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.api.ApiCalls;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.testing.OminisDatabase;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/callcenter/queues} end to end: definitions stored, served in callcenter.conf, loaded, reloaded and
 * unloaded on the node that runs them (an in-process stand-in answering {@code callcenter_config} as FreeSWITCH
 * does), with each node's outcome in the answer; the live view; bad input; concurrent writers; a frozen node.
 */
class QueueRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void clean() throws Exception {
        sql("DELETE FROM callcenter_queues; DELETE FROM agents; DELETE FROM tiers; DELETE FROM members");
    }

    @Test
    void definesServesLoadsChangesAndDeletesAQueueReportingTheNode() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db); Setup s = setup("fs1=" + fs.url(), Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                var created = send(client, "POST", "/v1/callcenter/queues", """
                        {"name": "sales@default", "node": "fs1",
                         "params": {"strategy": "ring-all", "moh-sound": "local_stream://moh", "max-wait-time": 300,
                                    "tier-rules-apply": true, "agent-no-answer-status": "logged out"}}""");
                String text = created.body().string();
                assertThat(created.code()).as(text).isEqualTo(201);
                assertThat(created.headers().get("Location").get(0)).isEqualTo("/v1/callcenter/queues/sales@default");
                JsonNode body = JSON.readTree(text);
                assertThat(body.path("defined").asBoolean()).isTrue();
                assertThat(body.path("node").asText()).isEqualTo("fs1");
                assertThat(body.path("params").path("strategy").asText()).isEqualTo("ring-all");
                assertThat(body.path("params").path("max-wait-time").asText()).isEqualTo("300");
                assertThat(body.path("params").path("agent-no-answer-status").asText()).isEqualTo("Logged Out");
                assertThat(body.path("params").path("discard-abandoned-after").asText()).isEqualTo("60");
                assertThat(body.path("params").has("announce-sound")).isTrue();
                assertThat(body.path("params").path("announce-sound").isNull()).isTrue();
                assertThat(body.path("reload").path("status").asText()).isEqualTo("ok");
                assertThat(body.path("reload").path("command").asText())
                        .isEqualTo("callcenter_config queue load sales@default");
                assertThat(body.path("reload").path("nodes").get(0).path("node").asText()).isEqualTo("fs1");
                assertThat(body.path("reload").path("nodes").get(0).path("ok").asBoolean()).isTrue();
                assertThat(fs.commands).contains("callcenter_config queue load sales@default");
                assertThat(fs.loadedQueues()).contains("sales@default");

                // what FreeSWITCH fetches when it loads the queue
                String conf = ApiCalls.postForm(client, "/v1/freeswitch/configuration",
                        "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=callcenter.conf"
                                + "&CC-Queue=sales@default").body().string();
                assertThat(conf).contains("<queue name=\"sales@default\">")
                        .contains("<param name=\"strategy\" value=\"ring-all\"/>")
                        .contains("<param name=\"moh-sound\" value=\"local_stream://moh\"/>")
                        .contains("<param name=\"max-wait-time\" value=\"300\"/>")
                        .contains("<param name=\"agent-no-answer-status\" value=\"Logged Out\"/>");

                var got = client.get("/v1/callcenter/queues/sales@default");
                String etag = got.headers().get("ETag").get(0);
                JsonNode view = JSON.readTree(got.body().string());
                assertThat(view.path("live").path("callers_waiting").asInt()).isZero();
                assertThat(view.path("live").path("today").path("threshold_seconds").asInt()).isEqualTo(20);

                var patched = client.request("/v1/callcenter/queues/sales@default", b -> b
                        .patch(HttpRequest.BodyPublishers.ofString(
                                "{\"params\": {\"strategy\": \"random\", \"max-wait-time\": null}}"))
                        .header("Content-Type", "application/json").header("If-Match", etag));
                JsonNode p = JSON.readTree(patched.body().string());
                assertThat(patched.code()).as(p.toString()).isEqualTo(200);
                assertThat(p.path("params").path("strategy").asText()).isEqualTo("random");
                assertThat(p.path("params").path("max-wait-time").asText()).isEqualTo("0");
                assertThat(p.path("params").path("tier-rules-apply").asText()).isEqualTo("true");
                assertThat(p.path("reload").path("command").asText())
                        .isEqualTo("callcenter_config queue reload sales@default");
                assertThat(fs.commands).contains("callcenter_config queue reload sales@default");

                var stale = client.request("/v1/callcenter/queues/sales@default", b -> b
                        .patch(HttpRequest.BodyPublishers.ofString("{\"params\": {\"strategy\": \"top-down\"}}"))
                        .header("Content-Type", "application/json").header("If-Match", etag));
                assertProblem(stale, 412, null);

                var put = send(client, "PUT", "/v1/callcenter/queues/sales@default",
                        "{\"params\": {\"strategy\": \"top-down\"}}");
                JsonNode replaced = JSON.readTree(put.body().string());
                assertThat(replaced.path("params").path("strategy").asText()).isEqualTo("top-down");
                assertThat(replaced.path("params").path("tier-rules-apply").asText()).isEqualTo("false");
                // a PUT without node moves the queue off fs1: unloaded there, loaded where it runs now (every node)
                assertThat(replaced.path("node").isNull()).isTrue();
                assertThat(replaced.path("reload").path("nodes")).hasSize(2);

                var deleted = client.delete("/v1/callcenter/queues/sales@default");
                JsonNode d = JSON.readTree(deleted.body().string());
                assertThat(deleted.code()).isEqualTo(200);
                assertThat(d.path("reload").path("command").asText())
                        .isEqualTo("callcenter_config queue unload sales@default");
                assertThat(fs.loadedQueues()).doesNotContain("sales@default");
                assertProblem(client.get("/v1/callcenter/queues/sales@default"), 404, null);
                assertProblem(client.delete("/v1/callcenter/queues/sales@default"), 404, null);
            });
        }
    }

    @Test
    void withTwoNodesTheDefinitionsNodeRunsTheQueueAndItsTiersAndAMoveUnloadsTheOldOne() throws Exception {
        try (FreeSwitchStandIn fs1 = new FreeSwitchStandIn(db); FreeSwitchStandIn fs2 = new FreeSwitchStandIn(db);
             Setup s = setup("fs1=" + fs1.url() + ",fs2=" + fs2.url(), Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                var created = send(client, "POST", "/v1/callcenter/queues", "{\"name\": \"q\", \"node\": \"fs2\"}");
                JsonNode body = JSON.readTree(created.body().string());
                assertThat(body.path("reload").path("nodes").findValuesAsText("node")).containsExactly("fs2");
                assertThat(fs2.loadedQueues()).contains("q");
                assertThat(fs1.commands).isEmpty();

                // without OMINIS_FREESWITCH_QUEUE_OWNERS, only the definition says where q runs
                send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"1000@default\"}");
                var tier = send(client, "POST", "/v1/callcenter/tiers", "{\"queue\": \"q\", \"agent\": \"1000@default\"}");
                assertThat(tier.code()).as(tier.body().string()).isEqualTo(201);
                assertThat(fs2.commands).contains("callcenter_config tier add q 1000@default 1 1");
                assertThat(fs1.commands).noneMatch(c -> c.startsWith("callcenter_config tier"));

                var moved = send(client, "PATCH", "/v1/callcenter/queues/q", "{\"node\": \"fs1\"}");
                JsonNode m = JSON.readTree(moved.body().string());
                assertThat(m.path("node").asText()).isEqualTo("fs1");
                assertThat(m.path("reload").path("nodes").findValuesAsText("node")).containsExactly("fs2", "fs1");
                assertThat(m.path("reload").path("command").asText()).isEqualTo("callcenter_config queue load q");
                assertThat(fs2.loadedQueues()).doesNotContain("q");
                assertThat(fs1.loadedQueues()).contains("q");

                // no node and no owner: every node serves the queue, so every node loads it
                var everywhere = send(client, "POST", "/v1/callcenter/queues", "{\"name\": \"shared\"}");
                assertThat(JSON.readTree(everywhere.body().string()).path("reload").path("nodes")
                        .findValuesAsText("node")).containsExactly("fs1", "fs2");
            });
        }
    }

    @Test
    void queuesWithoutADefinitionAreListedAsServedWithDefaultsAndCanBeDefinedByPut() throws Exception {
        sql("INSERT INTO tiers (queue, agent, state, level, position) VALUES ('support@default', '1000@default', "
                + "'Ready', 1, 1)");
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "support@default");
             Setup s = setup("fs1=" + fs.url(), Map.of("OMINIS_CALLCENTER_QUEUES", "always@default"))) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                JsonNode list = JSON.readTree(client.get("/v1/callcenter/queues").body().string());
                assertThat(list.path("items").findValuesAsText("name")).containsExactly("always@default",
                        "support@default");
                JsonNode support = list.path("items").get(1);
                assertThat(support.path("defined").asBoolean()).isFalse();
                assertThat(support.path("params").path("strategy").asText()).isEqualTo("longest-idle-agent");
                assertThat(support.path("params").path("moh-sound").asText())
                        .isEqualTo(CallcenterQueue.DEFAULT_MOH_SOUND);
                assertThat(support.path("live").path("agents")).hasSize(0); // the tier's agent has no agents row

                var put = send(client, "PUT", "/v1/callcenter/queues/support@default",
                        "{\"params\": {\"strategy\": \"round-robin\"}}");
                JsonNode defined = JSON.readTree(put.body().string());
                assertThat(put.code()).as(defined.toString()).isEqualTo(201);
                assertThat(defined.path("defined").asBoolean()).isTrue();
                // it was served (and loaded) already: reloaded, not loaded a second time
                assertThat(defined.path("reload").path("command").asText())
                        .isEqualTo("callcenter_config queue reload support@default");
                assertThat(JSON.readTree(client.get("/v1/callcenter/queues/support@default").body().string())
                        .path("params").path("strategy").asText()).isEqualTo("round-robin");
                assertProblem(client.get("/v1/callcenter/queues/never@default"), 404, null);
            });
        }
    }

    @Test
    void theLiveViewShowsCallersAgentsAndAnAgentByName() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        sql("INSERT INTO agents (name, instance_id, type, status, state) VALUES ('1000@default', 'single_box', "
                        + "'callback', 'Available', 'Waiting'), ('1001@default', 'single_box', 'callback', 'On Break', "
                        + "'Waiting')",
                "INSERT INTO tiers (queue, agent, state, level, position) VALUES ('sales@default', '1000@default', "
                        + "'Ready', 1, 1), ('sales@default', '1001@default', 'Ready', 1, 2)",
                "INSERT INTO members (queue, instance_id, uuid, session_uuid, system_epoch, joined_epoch, state) "
                        + "VALUES ('sales@default', 'single_box', 'm1', 's1', " + (now - 42) + ", " + (now - 42)
                        + ", 'Waiting')");
        try (Setup s = setup(null, Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                JsonNode live = JSON.readTree(client.get("/v1/callcenter/queues/sales@default").body().string())
                        .path("live");
                assertThat(live.path("callers_waiting").asInt()).isEqualTo(1);
                assertThat(live.path("longest_wait_seconds").asInt()).isBetween(42, 50);
                assertThat(live.path("agents").toString()).contains("\"status\":\"Available\"")
                        .contains("\"status\":\"On Break\"");
                assertThat(live.path("today").path("calls").asInt()).isZero();

                JsonNode agent = JSON.readTree(client.get("/v1/callcenter/agents/1000@default").body().string());
                assertThat(agent.path("status").asText()).isEqualTo("Available");
                assertProblem(client.get("/v1/callcenter/agents/nobody@default"), 404, null);
                assertProblem(client.get("/v1/callcenter/queues/sales@default?threshold=-1"), 400, "threshold");
            });
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsStoredOrSent() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db); Setup s = setup("fs1=" + fs.url(), Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                String q = "/v1/callcenter/queues";
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"strategy\": \"fastest\"}}"),
                        400, "params.strategy");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"calls-per-agent\": 2}}"),
                        400, "params.calls-per-agent");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"max-wait-time\": 86401}}"),
                        400, "params.max-wait-time");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"max-wait-time\": 1.5}}"),
                        400, "params.max-wait-time");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"moh-sound\": "
                        + "\"${system(id)}\"}}"), 400, "params.moh-sound");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"announce-sound\": "
                        + "\"$${hold_music}\"}}"), 400, "params.announce-sound");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"record-template\": "
                        + "\"/rec/${caller_id_number}.wav\"}}"), 400, "params.record-template");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": {\"tier-rules-apply\": "
                        + "[true]}}"), 400, "params.tier-rules-apply");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"params\": [1]}"), 400, "params");
                assertProblem(send(client, "POST", q, "{\"name\": \"q reloadxml\"}"), 400, "name");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"node\": \"fs9\"}"), 400, "node");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\", \"colour\": \"red\"}"), 400, "colour");
                send(client, "POST", q, "{\"name\": \"q\"}");
                assertProblem(send(client, "POST", q, "{\"name\": \"q\"}"), 409, null);
                assertProblem(send(client, "PATCH", q + "/q", "{\"params\": {\"strategy\": \"x\"}}"), 400,
                        "params.strategy");
                assertProblem(send(client, "PATCH", q + "/q", "{\"name\": \"other\"}"), 400, "name");
                assertProblem(send(client, "PUT", q + "/q", "{\"name\": \"other\"}"), 400, "name");
                assertProblem(send(client, "PATCH", q + "/missing", "{\"params\": {}}"), 404, null);
            });
            assertThat(count("SELECT count(*) FROM callcenter_queues")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM callcenter_queues WHERE strategy = 'longest-idle-agent'"))
                    .isEqualTo(1);
            assertThat(fs.commands).containsExactly("callcenter_config queue load q");
        }
    }

    @Test
    void concurrentPatchesOfDifferentParametersAllLand() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db); Setup s = setup("fs1=" + fs.url(), Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                send(client, "POST", "/v1/callcenter/queues", "{\"name\": \"q\"}");
                List<String> params = List.of("max-wait-time", "announce-frequency", "tier-rule-wait-second",
                        "discard-abandoned-after", "max-wait-time-with-no-agent", "ring-progressively-delay");
                List<CompletableFuture<Integer>> writers = new ArrayList<>();
                for (int i = 0; i < params.size(); i++) {
                    String body = "{\"params\": {\"" + params.get(i) + "\": " + (100 + i) + "}}";
                    writers.add(CompletableFuture.supplyAsync(() ->
                            send(client, "PATCH", "/v1/callcenter/queues/q", body).code()));
                }
                for (CompletableFuture<Integer> w : writers) {
                    assertThat(w.get()).isEqualTo(200);
                }
                JsonNode q = JSON.readTree(client.get("/v1/callcenter/queues/q").body().string()).path("params");
                for (int i = 0; i < params.size(); i++) {
                    assertThat(q.path(params.get(i)).asText()).as(params.get(i)).isEqualTo(Integer.toString(100 + i));
                }
            });
            assertThat(fs.count("callcenter_config queue reload q")).isEqualTo(6);
        }
    }

    @Test
    void aFrozenNodeGetsItsCommandTimedOutAndTheWriteStillStands() throws Exception {
        try (ServerSocket frozen = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             Setup s = setup("fs1=http://freeswitch:works@127.0.0.1:" + frozen.getLocalPort(), Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                long start = System.nanoTime();
                var created = send(client, "POST", "/v1/callcenter/queues", "{\"name\": \"q\"}");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                JsonNode body = JSON.readTree(created.body().string());
                assertThat(created.code()).as(body.toString()).isEqualTo(201);
                assertThat(took).isLessThan(Duration.ofSeconds(8));
                assertThat(body.path("reload").path("status").asText()).isEqualTo("failed");
                assertThat(body.path("reload").path("nodes").get(0).path("error").asText()).isNotBlank()
                        .doesNotContain("works");
            });
            assertThat(count("SELECT count(*) FROM callcenter_queues WHERE name = 'q'")).isEqualTo(1);
        }
    }

    @Test
    void withoutNodesTheDefinitionIsStoredAndTheAnswerSaysNothingWasLoaded() throws Exception {
        try (Setup s = setup(null, Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                var created = send(client, "POST", "/v1/callcenter/queues", "{\"name\": \"q\", \"node\": \"fs7\"}");
                JsonNode body = JSON.readTree(created.body().string());
                assertThat(created.code()).as(body.toString()).isEqualTo(201);
                assertThat(body.path("reload").path("status").asText()).isEqualTo("not_configured");
                assertThat(body.path("reload").path("nodes")).isEmpty();
            });
        }
    }

    @Test
    void openApiDescribesEveryParameterWithFreeSwitchsDefault() throws Exception {
        try (Setup s = setup(null, Map.of())) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                JsonNode doc = JSON.readTree(client.get("/openapi.json").body().string());
                JsonNode params = doc.path("components").path("schemas").path("QueueInput").path("properties")
                        .path("params").path("properties");
                assertThat(params.size()).isEqualTo(io.ominis.core.callcenter.QueueParameter.values().length);
                assertThat(params.path("strategy").path("default").asText()).isEqualTo("longest-idle-agent");
                assertThat(params.path("strategy").path("enum")).hasSize(9);
                assertThat(params.path("discard-abandoned-after").path("default").asInt()).isEqualTo(60);
                assertThat(params.path("tier-rule-no-agent-no-wait").path("default").asBoolean()).isTrue();
                assertThat(params.path("max-wait-time").path("maximum").asInt()).isEqualTo(86400);
                assertThat(doc.path("paths").has("/v1/callcenter/queues/{name}")).isTrue();
                assertThat(doc.path("paths").path("/v1/callcenter/agents/{name}").has("get")).isTrue();
            });
        }
    }

    private record Setup(OminisServer server, AutoCloseable nodes) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
            if (nodes != null) {
                nodes.close();
            }
        }
    }

    /** A server steering {@code nodes} (null: none), its fan-out bounded by the cluster's default timeout. */
    private static Setup setup(String nodes, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        if (nodes != null) {
            env.put("OMINIS_FREESWITCH_NODES", nodes);
        }
        ServerSettings settings = ServerFixture.settings(db, env);
        if (nodes == null) {
            return new Setup(OminisServer.create(settings, db.dataSource()), null);
        }
        FreeSwitchNodes control = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
        return new Setup(OminisServer.create(settings, db.dataSource(), control), control);
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
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

package io.ominis.api.freeswitch;

import static io.ominis.api.ApiCalls.assertProblem;
import static io.ominis.api.ApiCalls.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.javalin.testtools.JavalinTest;
import io.ominis.xmlrpc.SwitchControl;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent and tier writes go through callcenter_config on an in-process FreeSWITCH stand-in, end to end. */
class CallcenterWriteRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM agents; DELETE FROM tiers");
        }
    }

    @Test
    void addsChangesAndDeletesAgentsAndTiersThroughFreeSwitch() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default");
             Setup s = setup(fs)) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                var added = send(client, "POST", "/v1/callcenter/agents", """
                        {"name": "1000@default", "type": "Callback",
                         "contact": "{call_timeout=20}sofia/gateway/registrar/agent-1000", "status": "On Break",
                         "wrap_up_time": 10}""");
                assertThat(added.code()).as(added.body().string()).isEqualTo(201);
                JsonNode agent = JSON.readTree(added.body().string());
                assertThat(agent.get("name").asText()).isEqualTo("1000@default");
                assertThat(agent.get("status").asText()).isEqualTo("On Break");
                assertThat(agent.get("wrap_up_time").asInt()).isEqualTo(10);
                assertThat(fs.commands).contains("callcenter_config agent add 1000@default Callback",
                        "callcenter_config agent set status 1000@default 'On Break'");

                var changed = send(client, "PATCH", "/v1/callcenter/agents/1000@default", "{\"status\": \"Available\"}");
                assertThat(changed.code()).isEqualTo(200);
                assertThat(JSON.readTree(changed.body().string()).get("status").asText()).isEqualTo("Available");

                var tier = send(client, "POST", "/v1/callcenter/tiers",
                        "{\"queue\": \"sales@default\", \"agent\": \"1000@default\", \"level\": 2, \"position\": 3}");
                assertThat(tier.code()).isEqualTo(201);
                assertThat(JSON.readTree(tier.body().string()).get("level").asInt()).isEqualTo(2);
                var tierChanged = send(client, "PATCH", "/v1/callcenter/tiers/sales@default/1000@default",
                        "{\"state\": \"Standby\"}");
                assertThat(JSON.readTree(tierChanged.body().string()).get("state").asText()).isEqualTo("Standby");
                assertThat(client.delete("/v1/callcenter/tiers/sales@default/1000@default").code()).isEqualTo(204);
                assertThat(client.delete("/v1/callcenter/agents/1000@default").code()).isEqualTo(204);
            });
            assertThat(count("SELECT count(*) FROM agents")).isZero();
        }
    }

    @Test
    void aRowThatNeverBecomesVisibleIsA202ThatSaysSoNotAnEmptyBody() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // as if the node kept mod_callcenter in a database of its own: its INSERT never reaches ours
            st.execute("CREATE OR REPLACE FUNCTION ot_swallow() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RETURN NULL; END; $$");
            st.execute("CREATE TRIGGER ot_swallow BEFORE INSERT ON agents FOR EACH ROW EXECUTE FUNCTION ot_swallow()");
        }
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default");
             Setup s = setup(fs)) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                long start = System.nanoTime();
                var added = send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"2000@default\"}");
                assertThat(added.code()).isEqualTo(202);
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                        .isGreaterThanOrEqualTo(io.ominis.api.rest.CallcenterWriteRoutes.VISIBLE_WITHIN);
                JsonNode body = JSON.readTree(added.body().string());
                assertThat(body.path("resource").asText()).isEqualTo("agent 2000@default");
                assertThat(body.path("detail").asText()).contains("not visible in this database");
            });
        } finally {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER ot_swallow ON agents; DROP FUNCTION ot_swallow()");
            }
        }
    }

    @Test
    void freeSwitchRefusalsBecomeProblemsWithItsText() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default");
             Setup s = setup(fs)) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"1000@default\"}");
                var dup = send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"1000@default\"}");
                assertProblem(dup, 409, null);
                assertThat(dup.body().string()).contains("Agent already exist!");
                var missing = send(client, "PATCH", "/v1/callcenter/agents/2000@default", "{\"status\": \"Available\"}");
                assertProblem(missing, 404, null);
                assertThat(missing.body().string()).contains("Agent not found!");
                // as on the real switch: mod_callcenter loads an unknown queue from Ominis, which always serves it
                var newQueue = send(client, "POST", "/v1/callcenter/tiers",
                        "{\"queue\": \"support@default\", \"agent\": \"1000@default\"}");
                assertThat(newQueue.code()).as(newQueue.body().string()).isEqualTo(201);
            });
        }
    }

    @Test
    void refusesBadValuesAndInjectionBeforeSendingAnything() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db, "sales@default");
             Setup s = setup(fs)) {
            ContractCheck.test(s.server.app(), (srv, client) -> {
                assertProblem(send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"1000 reloadxml\"}"), 400, "name");
                assertProblem(send(client, "POST", "/v1/callcenter/agents",
                        "{\"name\": \"1000@default\", \"type\": \"carrier-pigeon\"}"), 400, "type");
                assertProblem(send(client, "POST", "/v1/callcenter/agents",
                        "{\"name\": \"1000@default\", \"status\": \"Busy\"}"), 400, "status");
                assertProblem(send(client, "POST", "/v1/callcenter/agents",
                        "{\"name\": \"1000@default\", \"contact\": \"sofia/x\\nreloadxml\"}"), 400, "contact");
                assertProblem(send(client, "POST", "/v1/callcenter/agents",
                        "{\"name\": \"1000@default\", \"wrap_up_time\": -1}"), 400, "wrap_up_time");
                assertProblem(send(client, "POST", "/v1/callcenter/tiers",
                        "{\"queue\": \"sales@default\", \"agent\": \"1000@default\", \"level\": 0}"), 400, "level");
                assertProblem(send(client, "PATCH", "/v1/callcenter/tiers/sales@default/1000@default",
                        "{\"state\": \"Sleeping\"}"), 400, "state");
            });
            assertThat(fs.commands).isEmpty();
        }
        assertThat(count("SELECT count(*) FROM agents")).isZero();
    }

    @Test
    void answers503WithoutNodesWhileReadsKeepWorking() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                var r = send(client, "POST", "/v1/callcenter/agents", "{\"name\": \"1000@default\"}");
                assertProblem(r, 503, null);
                assertThat(r.body().string()).contains("OMINIS_FREESWITCH_NODES");
                assertThat(client.get("/health/ready").code()).isEqualTo(200);
            });
        }
    }

    @Test
    void coalescesAclReloadsAndFlushesCachedUsers() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db);
             Setup s = setup(fs, Map.of("OMINIS_ACL_RELOAD_WINDOW_MS", "300", "OMINIS_DIRECTORY_CACHEABLE_MS", "60000"))) {
            for (int i = 0; i < 20; i++) {
                s.nodes.aclChanged();
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (fs.count("reloadacl") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(600);
            assertThat(fs.count("reloadacl")).isEqualTo(1);

            var outcomes = s.nodes.reloadAcl().get();
            assertThat(outcomes).hasSize(1);
            assertThat(outcomes.get(0).ok()).isTrue();

            s.nodes.directoryDomainSeen("10.42.0.7");
            s.nodes.extensionChanged("1001");
            deadline = System.nanoTime() + 5_000_000_000L;
            while (fs.count("xml_flush_cache") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(fs.commands).contains("xml_flush_cache id 1001 10.42.0.7");
        }
    }

    private record Setup(OminisServer server, FreeSwitchNodes nodes) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            nodes.close();
        }
    }

    private static Setup setup(FreeSwitchStandIn fs) {
        return setup(fs, Map.of());
    }

    private static Setup setup(FreeSwitchStandIn fs, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("OMINIS_FREESWITCH_NODES", "fs1=" + fs.url());
        ServerSettings settings = ServerFixture.settings(db, env);
        FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
        SwitchControl control = nodes;
        return new Setup(OminisServer.create(settings, db.dataSource(), control), nodes);
    }

    private static long count(String query) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

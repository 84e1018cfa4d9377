package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/nodes/stale} over HTTP: fs1 ({@code fs-a}) answered just now, fs2 ({@code fs-b}) ten minutes ago, with
 * the rows FreeSWITCH and mod_callcenter write. The finding and repair rules themselves are StaleStateDaoTest's.
 */
class StaleStateRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Map<String, String> ENV = Map.of("OMINIS_STALE_NODE_AFTER_MS", "300000");

    @BeforeEach
    void rows() throws SQLException {
        Api.sql(db, "DELETE FROM members", "DELETE FROM agents", "DELETE FROM channels", "DELETE FROM calls",
                "DELETE FROM registrations", "DELETE FROM freeswitch_node_sightings",
                "INSERT INTO freeswitch_node_sightings (node, switchname, last_seen) VALUES ('fs1', 'fs-a', now())",
                "INSERT INTO freeswitch_node_sightings (node, switchname, first_checked, last_seen, last_error) VALUES "
                        + "('fs2', 'fs-b', now() - interval '1 day', now() - interval '10 minutes', 'timeout')",
                channel("b1", "fs-b"), channel("b2", "fs-b"), channel("a1", "fs-a"),
                "insert into calls (call_uuid,call_created,call_created_epoch,caller_uuid,callee_uuid,hostname) "
                        + "values ('b1','2023-11-14 22:13:25','1700000005','b1','b2','fs-b')",
                "INSERT INTO agents (name, instance_id, type, status, state) "
                        + "VALUES('bob', 'single_box', 'callback', 'Logged Out', 'Waiting');",
                "UPDATE agents SET status = 'Available', state = 'In a queue call', uuid = 'b2' WHERE name = 'bob'",
                member("m1", "b1", "bob"), member("m3", "a1", ""),
                "insert into registrations (reg_user,realm,token,url,expires,network_ip,network_port,network_proto,"
                        + "hostname) values ('1001','example.com','t1','sofia/internal/sip:1001@10.0.0.9',1900000000,"
                        + "'10.0.0.9','5060','udp','fs-b')");
    }

    private static String channel(String uuid, String hostname) {
        return ("insert into channels (uuid,direction,created,created_epoch, name,state,callstate,dialplan,context,"
                + "hostname) values('%s','inbound','2023-11-14 22:13:20','1700000000','sofia/internal/%s','CS_INIT',"
                + "'DOWN','XML','default','%s')").formatted(uuid, uuid, hostname);
    }

    private static String member(String uuid, String session, String servingAgent) {
        return ("INSERT INTO members (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,"
                + "skill_score,cid_number,cid_name,serving_agent,serving_system,state) VALUES('sales@default',"
                + "'single_box','%s','%s','1700000000','1700000000','0','0','5551000','Alice','%s','','Waiting')")
                .formatted(uuid, session, servingAgent);
    }

    @Test
    void showsTheDeadNodesRowsAndTheVerdict() {
        ApiClient.serve(db, ENV, SwitchControl.NONE, api -> {
            ApiClient.Reply r = api.get("/v1/nodes/stale");
            assertThat(r.code()).as(r.text()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.path("stale_after_seconds").asLong()).isEqualTo(300);
            assertThat(Api.texts(body.path("stale"), "node")).containsExactly("fs2");
            assertThat(Api.texts(body.path("live"), "node")).containsExactly("fs1");
            assertThat(body.path("stale").get(0).path("switchname").asText()).isEqualTo("fs-b");
            assertThat(body.path("stale").get(0).path("last_error").asText()).isEqualTo("timeout");
            assertThat(body.path("stale").get(0).path("silent_seconds").asLong()).isBetween(600L, 700L);
            assertThat(body.path("repaired").asBoolean()).isFalse();
            assertThat(body.path("counts").toString()).isEqualTo(j(
                    "{'members':1,'agents':1,'channels':2,'calls':1,'registrations':1}"));
            assertThat(Api.texts(body.path("members"), "uuid")).containsExactly("m1");
            assertThat(body.path("agents").get(0).path("status").asText()).isEqualTo("Available");
            assertThat(Api.texts(body.path("channels"), "uuid")).containsExactly("b1", "b2");

            String metrics = api.get("/metrics").text();
            assertThat(metrics).contains("ominis_stale_nodes 1.0").contains("ominis_stale_rows{kind=\"channels\"} 2.0");
        });
    }

    @Test
    void aLiveOrUnknownNodeIsRefusedAndNothingChanges() {
        ApiClient.serve(db, ENV, SwitchControl.NONE, api -> {
            String before = state();
            assertProblem(api.get("/v1/nodes/stale?node=fs1"), 409, null);
            assertProblem(api.get("/v1/nodes/stale?node=fs9"), 400, "nodes");
            assertProblem(api.get("/v1/nodes/stale?node=fs2,"), 400, "node");
            ApiClient.Reply live = api.post("/v1/nodes/stale/repair", j(
                    "{'nodes':['fs1'],'members':true,'agent_status':'Logged Out','channels':true,'calls':true,"
                            + "'registrations':true}"));
            assertProblem(live, 409, null);
            assertThat(live.json().path("detail").asText()).contains("fs1");
            assertThat(state()).isEqualTo(before);
        });
    }

    @Test
    void badRepairBodiesAreRefusedNamingTheField() {
        ApiClient.serve(db, ENV, SwitchControl.NONE, api -> {
            String before = state();
            api.assertRejectsBadBodies("POST", "/v1/nodes/stale/repair", j("{'members':true}"), "agent_status",
                    StaleStateRoutesTest::state);
            assertProblem(api.post("/v1/nodes/stale/repair", j("{'agent_status':'Sleeping'}")), 400, "agent_status");
            assertProblem(api.post("/v1/nodes/stale/repair", j("{'agent_status':'Unknown'}")), 400, "agent_status");
            assertProblem(api.post("/v1/nodes/stale/repair", "{}"), 400, "repair");
            assertProblem(api.post("/v1/nodes/stale/repair", j("{'members':false,'dry_run':true}")), 400, "repair");
            assertProblem(api.post("/v1/nodes/stale/repair", j("{'members':'yes'}")), 400, "members");
            assertProblem(api.post("/v1/nodes/stale/repair", j("{'members':true,'nodes':['']}")), 400, "nodes[0]");
            assertThat(state()).isEqualTo(before);
        });
    }

    @Test
    void aDryRunChangesNothingAndARepairRemovesExactlyTheStaleRows() {
        ApiClient.serve(db, ENV, SwitchControl.NONE, api -> {
            String before = state();
            String all = "{'members':true,'agent_status':'logged out','channels':true,'calls':true,"
                    + "'registrations':true";
            ApiClient.Reply dry = api.post("/v1/nodes/stale/repair", j(all + ",'dry_run':true}"));
            assertThat(dry.code()).as(dry.text()).isEqualTo(200);
            assertThat(dry.json().path("repaired").asBoolean()).isFalse();
            assertThat(dry.json().path("counts").path("members").asInt()).isEqualTo(1);
            assertThat(state()).isEqualTo(before);

            ApiClient.Reply done = api.post("/v1/nodes/stale/repair", j(all + "}"));
            assertThat(done.code()).as(done.text()).isEqualTo(200);
            assertThat(done.json().path("repaired").asBoolean()).isTrue();
            assertThat(done.json().path("counts").toString()).isEqualTo(j(
                    "{'members':1,'agents':1,'channels':2,'calls':1,'registrations':1}"));
            assertThat(state()).isEqualTo("members m3|agents bob Logged Out Waiting |channels a1|calls |regs ");

            ApiClient.Reply again = api.post("/v1/nodes/stale/repair", j(all + "}"));
            assertThat(again.json().path("counts").toString()).isEqualTo(j(
                    "{'members':0,'agents':0,'channels':0,'calls':0,'registrations':0}"));
            assertThat(api.get("/metrics").text()).contains("ominis_stale_rows_repaired_total{kind=\"members\"} 1.0");
        });
    }

    @Test
    void concurrentRepairsAllSucceedAndTheRowsAreRepairedOnce() {
        ApiClient.serve(db, ENV, SwitchControl.NONE, api -> {
            int n = 5;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<ApiClient.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    replies.add(pool.submit(() -> {
                        go.await();
                        return api.post("/v1/nodes/stale/repair", j("{'members':true,'channels':true}"));
                    }));
                }
                go.countDown();
                int members = 0;
                int channels = 0;
                for (Future<ApiClient.Reply> f : replies) {
                    ApiClient.Reply r = f.get();
                    assertThat(r.code()).as(r.text()).isEqualTo(200);
                    members += r.json().path("counts").path("members").asInt();
                    channels += r.json().path("counts").path("channels").asInt();
                }
                assertThat(members).isEqualTo(1);
                assertThat(channels).isEqualTo(2);
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                pool.shutdownNow();
            }
            assertThat(state()).startsWith("members m3|agents bob Available In a queue call b2|channels a1|");
        });
    }

    private static String state() {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            return "members " + join(st, "SELECT uuid FROM members ORDER BY uuid")
                    + "|agents " + join(st, "SELECT name || ' ' || status || ' ' || state || ' ' || coalesce(uuid, '-')"
                    + " FROM agents ORDER BY name")
                    + "|channels " + join(st, "SELECT uuid FROM channels ORDER BY uuid")
                    + "|calls " + join(st, "SELECT call_uuid FROM calls ORDER BY call_uuid")
                    + "|regs " + join(st, "SELECT reg_user FROM registrations ORDER BY reg_user");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static String join(Statement st, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return String.join(",", out);
    }
}

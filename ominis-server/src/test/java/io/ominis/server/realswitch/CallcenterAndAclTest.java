package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agents, tiers and ACLs written through Ominis's API reach a real FreeSWITCH and come back through PostgreSQL. */
class CallcenterAndAclTest {

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    static final SwitchFixture sw = SwitchFixture.create(db);

    @RegisterExtension
    @Order(2)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(3)
    static final RealFreeSwitch fs = sw.fs;

    final Rest rest = sw.rest();

    @Test
    void agentsAndTiersPostedOverRestAreWrittenByModCallcenterIntoPostgres() throws Exception {
        Rest.Reply agent = rest.post("/v1/callcenter/agents", """
                {"name": "1001@default", "type": "callback", "contact": "user/1001@ominis.test",
                 "status": "Logged Out", "wrap_up_time": 5}""");
        assertThat(agent.code()).as(agent.text()).isEqualTo(201);
        assertThat(query("SELECT status || '|' || contact || '|' || wrap_up_time FROM agents WHERE name = '1001@default'"))
                .isEqualTo("Logged Out|user/1001@ominis.test|5");
        assertThat(fs.api("callcenter_config", "agent list")).contains("1001@default");

        Rest.Reply tier = rest.post("/v1/callcenter/tiers",
                "{\"queue\": \"sales@default\", \"agent\": \"1001@default\", \"level\": 2, \"position\": 1}");
        assertThat(tier.code()).as(tier.text()).isEqualTo(201);
        assertThat(query("SELECT state || '|' || level || '|' || position FROM tiers "
                + "WHERE queue = 'sales@default' AND agent = '1001@default'")).isEqualTo("Ready|2|1");
        assertThat(fs.api("callcenter_config", "queue list")).contains("sales@default");

        Rest.Reply available = rest.patch("/v1/callcenter/agents/1001@default", "{\"status\": \"Available\"}");
        assertThat(available.code()).as(available.text()).isEqualTo(200);
        assertThat(query("SELECT status FROM agents WHERE name = '1001@default'")).isEqualTo("Available");
        Rest.Reply listed = rest.get("/v1/callcenter/agents");
        assertThat(listed.text()).contains("\"Available\"");

        assertThat(rest.delete("/v1/callcenter/tiers/sales@default/1001@default").code()).isEqualTo(204);
        assertThat(rest.delete("/v1/callcenter/agents/1001@default").code()).isEqualTo(204);
        assertThat(query("SELECT count(*) FROM agents")).isEqualTo("0");
        assertThat(fs.api("callcenter_config", "agent list")).doesNotContain("1001@default");
    }

    @Test
    void anAclWriteReloadsTheSwitchAndChangesItsAnswer() throws Exception {
        assertThat(fs.api("acl", "10.77.1.2 branch_office").strip()).isEqualTo("false");

        Rest.Reply added = rest.post("/v1/acl",
                "{\"list_name\": \"branch_office\", \"cidr\": \"10.77.0.0/16\", \"permission\": \"allow\"}");
        assertThat(added.code()).as(added.text()).isEqualTo(201);
        // the answer waits for the reload it reports, so the switch already knows the entry
        assertThat(added.json().path("reload").path("status").asText()).as(added.text()).isEqualTo("ok");
        assertThat(fs.api("acl", "10.77.1.2 branch_office").strip()).isEqualTo("true");
        awaitAnswer(() -> fs.api("acl", "10.77.1.2 branch_office").strip(), "true");
        assertThat(fs.api("acl", "10.78.1.2 branch_office").strip()).isEqualTo("false");

        assertThat(rest.delete("/v1/acl/" + added.json().get("id").asText()).code()).isEqualTo(200);
        awaitAnswer(() -> fs.api("acl", "10.77.1.2 branch_office").strip(), "false");
    }

    /** The same refusals {@code CallcenterWriteRoutesTest} gets from the stand-in, from mod_callcenter itself. */
    @Test
    void modCallcenterRefusalsBecomeProblemsWithItsText() throws Exception {
        assertThat(rest.post("/v1/callcenter/agents", "{\"name\": \"1003@default\"}").code()).isEqualTo(201);
        Rest.Reply dup = rest.post("/v1/callcenter/agents", "{\"name\": \"1003@default\"}");
        assertThat(dup.code()).as(dup.text()).isEqualTo(409);
        assertThat(dup.text()).contains("Agent already exist!");
        Rest.Reply missing = rest.patch("/v1/callcenter/agents/2003@default", "{\"status\": \"Available\"}");
        assertThat(missing.code()).as(missing.text()).isEqualTo(404);
        assertThat(missing.text()).contains("Agent not found!");
        // Ominis serves every queue mod_callcenter asks for (with defaults), so a tier may name a new queue
        Rest.Reply tier = rest.post("/v1/callcenter/tiers",
                "{\"queue\": \"brand-new@default\", \"agent\": \"1003@default\"}");
        assertThat(tier.code()).as(tier.text()).isEqualTo(201);
        assertThat(fs.api("callcenter_config", "queue list")).contains("brand-new@default");
        assertThat(rest.delete("/v1/callcenter/tiers/brand-new@default/1003@default").code()).isEqualTo(204);
        assertThat(rest.delete("/v1/callcenter/agents/1003@default").code()).isEqualTo(204);
    }

    @Test
    void aWriteAfterTheSwitchClosedTheIdleConnectionStillReachesIt() throws Exception {
        assertThat(rest.post("/v1/callcenter/agents", "{\"name\": \"1002@default\"}").code()).isEqualTo(201);
        // mod_xml_rpc drops kept-alive connections after 5 idle seconds; the next write must not land on a dead one
        Thread.sleep(6_000);
        Rest.Reply changed = rest.patch("/v1/callcenter/agents/1002@default", "{\"status\": \"On Break\"}");
        assertThat(changed.code()).as(changed.text()).isEqualTo(200);
        assertThat(query("SELECT status FROM agents WHERE name = '1002@default'")).isEqualTo("On Break");
        assertThat(rest.delete("/v1/callcenter/agents/1002@default").code()).isEqualTo(204);
    }

    private static void awaitAnswer(Supplier<String> answer, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = answer.get();
        while (!last.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = answer.get();
        }
        assertThat(last).isEqualTo(expected);
    }

    static String query(String sql) throws Exception {
        return queryIn(db, sql);
    }

    /** The first column of the first row, or null; {@code params} bound in order. */
    static String queryIn(OminisDatabase db, String sql, Object... params) throws Exception {
        try (Connection c = db.connect(); java.sql.PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}

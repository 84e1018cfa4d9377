package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.CallOutcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Item 7's stale-state proof on a real FreeSWITCH: a caller waits in a queue, the switch is killed as a crash would
 * (no shutdown, so its {@code members} and {@code channels} rows stay), the server's probes stop being answered, and
 * after {@code OMINIS_STALE_NODE_AFTER_MS} the leftovers are found and repaired; the rows of another node that keeps
 * answering stay, even when a repair names it.
 */
class StaleStateOnRealSwitchTest {

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    static final SwitchFixture sw = SwitchFixture.create(db, RealFreeSwitch.builder(), Map.of(
            "OMINIS_STALE_NODE_AFTER_MS", "3000", "OMINIS_NODE_PROBE_INTERVAL_MS", "500"));

    @RegisterExtension
    @Order(2)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(3)
    static final RealFreeSwitch fs = sw.fs;

    final Rest rest = sw.rest();

    @Test
    void aKilledSwitchsWaitingCallerIsFoundStaleAndRepairedWhileALiveNodesRowsStay() throws Exception {
        // another node, recorded by "another replica" as answering just now, with a caller of its own
        sql("INSERT INTO freeswitch_node_sightings (node, switchname, last_seen) VALUES ('fs-other', 'fs-other', now())",
                "insert into channels (uuid,direction,created,created_epoch,name,state,callstate,dialplan,context,"
                        + "hostname) values('o1','inbound','2026-01-01 00:00:00','1767225600','sofia/internal/9',"
                        + "'CS_EXECUTE','ACTIVE','XML','default','fs-other')",
                "INSERT INTO members (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,"
                        + "skill_score,cid_number,cid_name,serving_agent,serving_system,state) VALUES("
                        + "'support@default','single_box','mo','o1','1767225600','1767225600','0','0','9','Other',"
                        + "'','','Waiting')");
        assertThat(rest.post("/v1/extensions", "{\"number\": \"1301\", \"password\": \"Secret-1301-pass\"}").code())
                .isEqualTo(201);

        // the probe has seen the real switch under its switchname (a probe during start-up may be answered before
        // mod_commands is loaded: reachable, but no name yet)
        JsonNode seen = await(j -> {
            for (JsonNode n : j.path("live")) {
                if (n.path("node").asText().equals(fs.switchName()) && n.path("switchname").isTextual()) {
                    return true;
                }
            }
            return false;
        });
        int at = seen.path("live").findValuesAsText("node").indexOf(fs.switchName());
        assertThat(seen.path("live").get(at).path("switchname").asText()).isEqualTo(fs.switchName());

        CompletableFuture<CallOutcome> call = CompletableFuture.supplyAsync(
                () -> sw.phone("1301", "Secret-1301-pass", "StaleStateOnRealSwitchTest")
                        .call("queue-support", Duration.ofSeconds(8)));
        try {
            waitFor(() -> count("SELECT count(*) FROM members WHERE queue = 'support@default' AND uuid <> 'mo' "
                    + "AND state = 'Waiting'") == 1, "the caller waiting in support@default");
            String session = text("SELECT session_uuid FROM members WHERE uuid <> 'mo'");
            // the core writes channels through its own SQL queue, a moment behind mod_callcenter's member row
            waitFor(() -> count("SELECT count(*) FROM channels WHERE uuid = '" + session + "'") == 1,
                    "the caller's channel row");

            // while the switch runs, its rows are a live node's: nothing found, a repair naming it is refused
            keepOtherNodeAlive();
            JsonNode live = rest.get("/v1/nodes/stale").json();
            assertThat(live.path("stale").size()).isZero();
            assertThat(live.path("counts").path("members").asInt()).isZero();
            Rest.Reply refused = rest.post("/v1/nodes/stale/repair", "{\"nodes\": [\"" + fs.switchName()
                    + "\"], \"members\": true, \"channels\": true}");
            assertThat(refused.code()).as(refused.text()).isEqualTo(409);

            fs.kill();
            long channelsLeft = count("SELECT count(*) FROM channels WHERE hostname = '" + fs.switchName() + "'");
            assertThat(channelsLeft).as("a killed switch leaves its channels behind").isPositive();
            assertThat(count("SELECT count(*) FROM members WHERE session_uuid = '" + session + "'")).isEqualTo(1);

            // stale only after the configured time without an answer
            JsonNode stale = await(j -> {
                keepOtherNodeAlive();
                return j.path("stale").findValuesAsText("node").contains(fs.switchName());
            });
            assertThat(stale.path("stale").get(0).path("last_error").asText()).isNotBlank();
            assertThat(stale.path("live").findValuesAsText("node")).contains("fs-other");
            assertThat(stale.path("members").findValuesAsText("session_uuid")).containsExactly(session);
            assertThat(stale.path("channels").findValuesAsText("hostname")).containsOnly(fs.switchName());
            assertThat(stale.path("counts").path("channels").asLong()).isEqualTo(channelsLeft);

            // a repair naming the live node too is refused whole
            keepOtherNodeAlive();
            Rest.Reply both = rest.post("/v1/nodes/stale/repair", "{\"nodes\": [\"" + fs.switchName()
                    + "\", \"fs-other\"], \"members\": true, \"channels\": true}");
            assertThat(both.code()).as(both.text()).isEqualTo(409);

            keepOtherNodeAlive();
            Rest.Reply dry = rest.post("/v1/nodes/stale/repair", "{\"members\": true, \"channels\": true, "
                    + "\"calls\": true, \"registrations\": true, \"agent_status\": \"Logged Out\", \"dry_run\": true}");
            assertThat(dry.code()).as(dry.text()).isEqualTo(200);
            assertThat(dry.json().path("counts").path("members").asInt()).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM members")).isEqualTo(2);

            keepOtherNodeAlive();
            Rest.Reply repaired = rest.post("/v1/nodes/stale/repair", "{\"members\": true, \"channels\": true, "
                    + "\"calls\": true, \"registrations\": true, \"agent_status\": \"Logged Out\"}");
            assertThat(repaired.code()).as(repaired.text()).isEqualTo(200);
            assertThat(repaired.json().path("repaired").asBoolean()).isTrue();
            assertThat(repaired.json().path("counts").path("members").asInt()).isEqualTo(1);
            assertThat(repaired.json().path("counts").path("channels").asLong()).isEqualTo(channelsLeft);

            assertThat(strings("SELECT uuid FROM members")).containsExactly("mo");
            assertThat(strings("SELECT uuid FROM channels")).containsExactly("o1");
            assertThat(count("SELECT count(*) FROM registrations WHERE hostname = '" + fs.switchName() + "'"))
                    .isZero();
            String metrics = rest.get("/metrics").text();
            assertThat(metrics).contains("ominis_stale_rows_repaired_total{kind=\"members\"} 1.0");
        } finally {
            call.handle((outcome, failure) -> null).get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void keepOtherNodeAlive() {
        sql("UPDATE freeswitch_node_sightings SET last_seen = now(), last_checked = now() WHERE node = 'fs-other'");
    }

    private JsonNode await(Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Rest.Reply last = rest.get("/v1/nodes/stale");
        while (!(last.code() == 200 && done.test(last.json())) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = rest.get("/v1/nodes/stale");
        }
        assertThat(last.code()).as(last.text()).isEqualTo(200);
        assertThat(done.test(last.json())).as("never seen: %s", last.text()).isTrue();
        return last.json();
    }

    private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(done.getAsBoolean()).as(what).isTrue();
    }

    private static void sql(String... statements) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(String query) {
        List<String> rows = strings(query);
        return Long.parseLong(rows.get(0));
    }

    private static String text(String query) {
        List<String> rows = strings(query);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<String> strings(String query) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}

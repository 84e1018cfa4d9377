package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue defined over REST is loaded by a real FreeSWITCH with its values ({@code callcenter_config queue list}), a
 * call waits in it, a change is reloaded into the running switch, and a delete unloads it.
 */
class QueueDefinitionOnRealSwitchTest {

    static final String MOH = "tone_stream://%(1000,3000,350,440);loops=-1";

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
    void aQueueDefinedOverRestIsLoadedWaitedInReloadedAndUnloaded() throws Exception {
        Rest.Reply created = rest.post("/v1/callcenter/queues", """
                {"name": "billing@default",
                 "params": {"strategy": "ring-all", "moh-sound": "%s", "max-wait-time": 120,
                            "discard-abandoned-after": 30, "tier-rules-apply": true,
                            "agent-no-answer-status": "Logged Out"}}""".formatted(MOH));
        assertThat(created.code()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("reload").path("status").asText()).as(created.text()).isEqualTo("ok");
        assertThat(created.json().path("reload").path("nodes").get(0).path("reply").asText()).isEqualTo("+OK");

        String row = queueRow("billing@default");
        // name|strategy|moh_sound|time_base_score|tier_rules_apply|tier_rule_wait_second|
        // tier_rule_wait_multiply_level|tier_rule_no_agent_no_wait|discard_abandoned_after|abandoned_resume_allowed|
        // max_wait_time|max_wait_time_with_no_agent|max_wait_time_with_no_agent_time_reached|record_template|
        // calls_answered|calls_abandoned|ring_progressively_delay|skip_agents_with_external_calls|agent_no_answer_status
        assertThat(row).startsWith("billing@default|ring-all|" + MOH + "|queue|true|0|false|true|30|false|120|0|5|")
                .endsWith("|10|true|Logged Out");

        // a caller waits in it, hearing the queue's own hold sound
        fs.clearLog();
        String uuid = fs.api("create_uuid", "").strip();
        assertThat(fs.api("originate", "{origination_uuid=" + uuid + ",origination_caller_id_number=5550142}"
                + "loopback/queue-billing/default &park", Duration.ofSeconds(20))).startsWith("+OK");
        JsonNode waiting = await("/v1/callcenter/queues/billing@default",
                j -> j.path("live").path("callers_waiting").asInt() == 1);
        assertThat(waiting.path("defined").asBoolean()).isTrue();
        assertThat(waiting.path("live").path("longest_wait_seconds").asInt()).isBetween(0, 30);
        // ring-all offers the caller at once, so mod_callcenter shows it Trying; the live view counts it as waiting
        assertThat(rest.get("/v1/callcenter/members").json().path("items").get(0).path("state").asText())
                .isIn("Waiting", "Trying");

        // a change is reloaded into the running switch
        Rest.Reply changed = rest.patch("/v1/callcenter/queues/billing@default",
                "{\"params\": {\"strategy\": \"top-down\", \"max-wait-time\": 300}}");
        assertThat(changed.code()).as(changed.text()).isEqualTo(200);
        assertThat(changed.json().path("reload").path("status").asText()).as(changed.text()).isEqualTo("ok");
        assertThat(changed.json().path("reload").path("command").asText())
                .isEqualTo("callcenter_config queue reload billing@default");
        assertThat(queueRow("billing@default")).startsWith("billing@default|top-down|" + MOH + "|")
                .contains("|300|0|5|");
        // the same switch, not restarted: the waiting caller is still there and still waiting
        assertThat(fs.api("uuid_exists", uuid).strip()).isEqualTo("true");
        assertThat(await("/v1/callcenter/queues/billing@default",
                j -> j.path("live").path("callers_waiting").asInt() == 1).path("params").path("strategy").asText())
                .isEqualTo("top-down");
        fs.api("uuid_kill", uuid);
        // mod_callcenter keeps the abandoned caller for discard-abandoned-after and looks the queue up again for it:
        // an unload now would not last, so the definition cannot be deleted until the member is gone
        Rest.Reply refused = rest.delete("/v1/callcenter/queues/billing@default");
        assertThat(refused.code()).as(refused.text()).isEqualTo(409);
        assertThat(refused.text()).contains("member");
        assertThat(queueRow("billing@default")).startsWith("billing@default|top-down|");
        try (var c = db.connect(); var st = c.createStatement()) {
            // what discard-abandoned-after does in time; here at once
            st.execute("DELETE FROM members WHERE queue = 'billing@default'");
        }

        Rest.Reply deleted = rest.delete("/v1/callcenter/queues/billing@default");
        assertThat(deleted.code()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().path("reload").path("status").asText()).as(deleted.text()).isEqualTo("ok");
        assertThat(fs.api("callcenter_config", "queue list")).doesNotContain("billing@default");
        assertThat(fs.logLines()).noneMatch(l -> l.contains("Invalid file format"));
    }

    /** The line of {@code callcenter_config queue list} for {@code queue}. */
    private static String queueRow(String queue) {
        return fs.api("callcenter_config", "queue list").lines().filter(l -> l.startsWith(queue + "|")).findFirst()
                .orElseThrow(() -> new AssertionError(queue + " is not loaded: "
                        + fs.api("callcenter_config", "queue list")));
    }

    private JsonNode await(String path, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Rest.Reply last = rest.get(path);
        while (!(last.code() == 200 && done.test(last.json())) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = rest.get(path);
        }
        assertThat(last.code()).as(last.text()).isEqualTo(200);
        assertThat(done.test(last.json())).as("%s never showed what the test waits for: %s", path, last.text())
                .isTrue();
        return last.json();
    }
}

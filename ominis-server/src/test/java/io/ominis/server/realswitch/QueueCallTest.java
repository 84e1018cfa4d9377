package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.AgentReport;
import io.ominis.testing.sip.AnsweringAgent;
import io.ominis.testing.sip.CallOutcome;
import io.ominis.testing.sip.SipPhone;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A caller joins a queue on a real FreeSWITCH and a registered SIP agent answers: while the call lasts it shows in
 * {@code /v1/channels}, {@code /v1/calls} and {@code /v1/callcenter/members}; after hang-up both legs have CDRs and
 * {@code /v1/cdr/stats/queues} reports the call as answered with its wait and service level.
 */
class QueueCallTest {

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

    private SipPhone phone(String user, String password) {
        return sw.phone(user, password, "QueueCallTest");
    }

    @Test
    void aQueueCallAnsweredByARegisteredAgentIsLiveThenReported() throws Exception {
        LocalDateTime from = LocalDateTime.now().minusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        for (String n : new String[] {"1201", "1202"}) {
            assertThat(rest.post("/v1/extensions", "{\"number\": \"" + n + "\", \"password\": \"Secret-" + n
                    + "-pass\"}").code()).isEqualTo(201);
        }
        Rest.Reply agent = rest.post("/v1/callcenter/agents", """
                {"name": "1201@default", "type": "callback", "contact": "user/1201@ominis.test",
                 "status": "Available"}""");
        assertThat(agent.code()).as(agent.text()).isEqualTo(201);
        assertThat(rest.post("/v1/callcenter/tiers", "{\"queue\": \"sales@default\", \"agent\": \"1201@default\"}")
                .code()).isEqualTo(201);

        try (AnsweringAgent answering = phone("1201", "Secret-1201-pass").answerCalls()) {
            assertThat(answering.registration().status()).isEqualTo(200);
            CompletableFuture<CallOutcome> call = CompletableFuture.supplyAsync(
                    () -> phone("1202", "Secret-1202-pass").call("queue-sales", Duration.ofSeconds(6)));

            JsonNode channels = await("/v1/channels", j -> j.path("items").size() >= 2);
            assertThat(channels.path("items").findValuesAsText("hostname")).containsOnly(fs.switchName());
            JsonNode calls = await("/v1/calls", j -> j.path("items").size() >= 1);
            assertThat(calls.toString()).contains("1202");
            JsonNode members = await("/v1/callcenter/members", j -> j.path("items").size() >= 1
                    && j.path("items").get(0).path("state").asText().equals("Answered"));
            assertThat(members.path("items").get(0).path("queue").asText()).isEqualTo("sales@default");
            assertThat(rest.get("/v1/channels/count").json().path("count").asLong()).isGreaterThanOrEqualTo(2);
            // answered from the in-memory copy, which FreeSWITCH's own writes over ODBC reached as notifications
            String metrics = rest.get("/metrics").text();
            assertThat(metrics).containsPattern("(?m)^ominis_channel_mirror_current 1(\\.0)?$")
                    .containsPattern("(?m)^ominis_channel_mirror_partial_loads_total [1-9]");

            CallOutcome outcome = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(outcome.status()).as("%s", outcome).isEqualTo(200);
            AgentReport report = answering.stop();
            assertThat(report.answeredCalls()).isEqualTo(1);
        }

        JsonNode cdrs = await("/v1/cdr?from=" + from, j -> j.path("items").size() >= 2);
        JsonNode member = null;
        JsonNode agentLeg = null;
        for (JsonNode r : cdrs.path("items")) {
            if ("1202".equals(r.path("caller_id_number").asText()) && r.path("agent_name").asText("").isEmpty()
                    == false && "answered".equals(r.path("member_state").asText())) {
                member = r;
            }
            if (!r.path("member_session_uuid").asText("").isEmpty()
                    && !r.path("member_session_uuid").asText().equals(r.path("uuid").asText())) {
                agentLeg = r;
            }
        }
        assertThat(member).as("member leg in %s", cdrs).isNotNull();
        assertThat(member.path("queue_name").asText()).isEqualTo("sales@default");
        assertThat(member.path("switch_name").asText()).isNotBlank();
        assertThat(agentLeg).as("agent leg in %s", cdrs).isNotNull();
        assertThat(agentLeg.path("member_session_uuid").asText()).isEqualTo(member.path("uuid").asText());
        assertThat(agentLeg.path("agent_name").asText()).isEqualTo("1201@default");
        assertThat(agentLeg.path("answer_stamp").isNull()).isFalse();

        LocalDateTime to = LocalDateTime.now().plusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        Rest.Reply stats = rest.get("/v1/cdr/stats/queues?from=" + from + "&to=" + to + "&threshold=20");
        assertThat(stats.code()).as(stats.text()).isEqualTo(200);
        JsonNode sales = stats.json().path("queues").get(0);
        assertThat(sales.path("queue").asText()).isEqualTo("sales@default");
        assertThat(sales.path("calls").asInt()).isEqualTo(1);
        assertThat(sales.path("answered").asInt()).isEqualTo(1);
        assertThat(sales.path("abandoned").asInt()).isZero();
        assertThat(sales.path("avg_wait").isNull()).as("avg_wait in %s", sales).isFalse();
        assertThat(sales.path("avg_wait").asDouble()).isBetween(0.0, 20.0);
        assertThat(sales.path("service_level").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aCallerWaitingWithNoAgentHearsTheDefaultHoldToneWithoutErrors() throws Exception {
        LocalDateTime from = LocalDateTime.now().minusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        assertThat(rest.post("/v1/extensions", "{\"number\": \"1203\", \"password\": \"Secret-1203-pass\"}")
                .code()).isEqualTo(201);
        fs.clearLog();
        CompletableFuture<CallOutcome> call = CompletableFuture.supplyAsync(
                () -> phone("1203", "Secret-1203-pass").call("queue-support", Duration.ofSeconds(4)));
        JsonNode waiting = await("/v1/callcenter/members", j -> j.path("items").size() >= 1);
        assertThat(waiting.path("items").get(0).path("state").asText()).isEqualTo("Waiting");
        assertThat(fs.api("callcenter_config", "queue list")).contains("support@default")
                .contains(io.ominis.xmlcurl.QueueDefinition.DEFAULT_MOH_SOUND);
        assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
        // the sample configuration's local_stream://moh logged thousands of [ERR] lines here; the extension fails on any
        assertThat(fs.logLines()).noneMatch(l -> l.contains("Invalid file format"));

        LocalDateTime to = LocalDateTime.now().plusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        JsonNode support = await("/v1/cdr/stats/queues?from=" + from + "&to=" + to,
                j -> j.path("queues").findValuesAsText("queue").contains("support@default"));
        for (JsonNode q : support.path("queues")) {
            if (q.path("queue").asText().equals("support@default")) {
                assertThat(q.path("abandoned").asInt()).isEqualTo(1);
                assertThat(q.path("answered").asInt()).isZero();
                assertThat(q.path("service_level").asDouble()).isZero();
            }
        }
    }

    @Test
    void aBurstOfCallsIsNotThrottledByTheCoreSessionRate() throws Exception {
        fs.clearLog();
        // 25 loopback calls are 50 sessions in well under a second; the core's default allows 30 a second
        for (int i = 0; i < 25; i++) {
            assertThat(fs.api("bgapi", "originate loopback/tone/default &park")).startsWith("+OK");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String count = fs.api("show", "channels count");
        while (!count.contains("50 total") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = fs.api("show", "channels count");
        }
        fs.api("hupall", "NORMAL_CLEARING");
        assertThat(count).contains("50 total");
        assertThat(fs.logLines()).noneMatch(l -> l.contains("Over Session Rate") || l.contains("Throttle Error"));
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

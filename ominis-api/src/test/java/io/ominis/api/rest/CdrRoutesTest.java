package io.ominis.api.rest;

import static io.ominis.api.rest.Api.badParameter;
import static io.ominis.api.rest.Api.notFound;
import static io.ominis.api.rest.Api.ok;
import static io.ominis.api.rest.Api.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/cdr} over HTTP on a small, fixed day of records shaped as mod_odbc_cdr writes them under
 * mod_callcenter: a member leg per queue call (answered by the queue on entry, {@code member_state} from
 * {@code cc_cause}) and an agent leg per offer ({@code member_session_uuid} = the member leg). Every statistic is
 * compared with numbers worked out by hand below.
 */
class CdrRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String DAY = "from=2024-03-01T00:00:00&to=2024-03-02T00:00:00";

    private OminisServer server;

    /**
     * 2024-03-01, all on fs1 from 5551000 to 7000 unless said otherwise (start / answer / end, duration, billsec):
     * <pre>
     * support  m1  member 09:00:00 / 09:00:01 / 09:05:00  300 299 answered, agent 1000   wait 09:00:25-09:00:00 = 25
     *          a1a agent  09:00:05 / -        / 09:00:20   15   0 1001 NO_ANSWER
     *          a1b agent  09:00:20 / 09:00:25 / 09:05:00  280 275 1000
     *          m2  member 10:00:00 / 10:00:01 / 10:02:00  120 119 answered, agent 1001   wait 10:00:10-10:00:00 = 10
     *          a2  agent  10:00:05 / 10:00:10 / 10:02:00  115 110 1001
     *          m3  member 11:00:00 / 11:00:01 / 11:01:00   60  59 cancel (abandoned)
     *          a3  agent  11:00:10 / -        / 11:00:40   30   0 1000 ORIGINATOR_CANCEL
     * sales    m4  member 12:00:00 / 12:00:01 / 12:10:00  600 599 answered, agent 1002   wait 12:00:05-12:00:00 = 5
     *          a4  agent  12:00:02 / 12:00:05 / 12:10:00  598 595 1002
     *          m5  member 13:00:00 / 13:00:01 / 13:01:40  100  99 answered, agent 1002, no agent leg: wait unknown;
     *                                                             member_session_uuid = its own uuid (one-leg writers)
     * none     n1  call   14:00:00 / -        / 14:00:30   30   0 USER_BUSY, 5559999 to 1001 on fs2
     * outside  o1  support member 2024-03-02 00:00:00 (= to, excluded); o2 support member 2024-02-29 23:59:59
     * </pre>
     */
    @BeforeAll
    static void load() throws Exception {
        Api.sql(db, "DELETE FROM cdr",
                member("m1", "support", "09:00:00", "09:00:01", "09:05:00", 300, 299, "answered", "1000@default"),
                agent("a1a", "support", "09:00:05", null, "09:00:20", 15, 0, "1001@default", "m1", "NO_ANSWER"),
                agent("a1b", "support", "09:00:20", "09:00:25", "09:05:00", 280, 275, "1000@default", "m1",
                        "NORMAL_CLEARING"),
                member("m2", "support", "10:00:00", "10:00:01", "10:02:00", 120, 119, "answered", "1001@default"),
                agent("a2", "support", "10:00:05", "10:00:10", "10:02:00", 115, 110, "1001@default", "m2",
                        "NORMAL_CLEARING"),
                member("m3", "support", "11:00:00", "11:00:01", "11:01:00", 60, 59, "cancel", null),
                agent("a3", "support", "11:00:10", null, "11:00:40", 30, 0, "1000@default", "m3", "ORIGINATOR_CANCEL"),
                member("m4", "sales", "12:00:00", "12:00:01", "12:10:00", 600, 599, "answered", "1002@default"),
                agent("a4", "sales", "12:00:02", "12:00:05", "12:10:00", 598, 595, "1002@default", "m4",
                        "NORMAL_CLEARING"),
                member("m5", "sales", "13:00:00", "13:00:01", "13:01:40", 100, 99, "answered", "1002@default"),
                "UPDATE cdr SET member_session_uuid = 'm5' WHERE uuid = 'm5'",
                // mod_odbc_cdr leaves answer_stamp out for an unanswered call
                "INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, "
                        + "end_stamp, duration, billsec, hangup_cause, switch_name) VALUES ('n1', 'Bob', '5559999', "
                        + "'1001', 'default', '2024-03-01 14:00:00', '2024-03-01 14:00:30', '30', '0', 'USER_BUSY', 'fs2')",
                member("o1", "support", "00:00:00", "00:00:01", "00:01:00", 60, 59, "answered", "1000@default")
                        .replace("2024-03-01", "2024-03-02"),
                member("o2", "support", "23:59:59", "23:59:59", "23:59:59", 60, 59, "cancel", null)
                        .replace("2024-03-01", "2024-02-29"));
    }

    /** A member leg as mod_odbc_cdr writes it: no member_session_uuid (mod_callcenter sets that on agent legs). */
    private static String member(String uuid, String queue, String start, String answer, String end, int duration,
                                 int billsec, String ccCause, String agent) {
        return ("INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, "
                + "answer_stamp, end_stamp, duration, billsec, hangup_cause, queue_name, %s member_state, switch_name) "
                + "VALUES ('%s', 'Alice', '5551000', '7000', 'default', '2024-03-01 %s', '2024-03-01 %s', "
                + "'2024-03-01 %s', '%d', '%d', 'NORMAL_CLEARING', '%s', %s '%s', 'fs1')")
                .formatted(agent == null ? "" : "agent_name,", uuid, start, answer, end, duration, billsec, queue,
                        agent == null ? "" : "'" + agent + "',", ccCause);
    }

    /** An agent leg: cc_queue, cc_agent, cc_member_session_uuid; answer_stamp only if the agent picked up. */
    private static String agent(String uuid, String queue, String start, String answer, String end, int duration,
                                int billsec, String agent, String memberUuid, String cause) {
        return ("INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, "
                + "%s end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid, "
                + "switch_name) VALUES ('%s', 'Alice', '5551000', '%s', 'default', '2024-03-01 %s', %s "
                + "'2024-03-01 %s', '%d', '%d', '%s', '%s', '%s', '%s', 'fs1')")
                .formatted(answer == null ? "" : "answer_stamp,", uuid, agent.substring(0, 4), start,
                        answer == null ? "" : "'2024-03-01 " + answer + "',", end, duration, billsec, cause, queue,
                        agent, memberUuid);
    }

    @BeforeEach
    void start() {
        server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsNewestFirstInKeysetPagesThatNeitherRepeatNorSkip() {
        ContractCheck.test(server.app(), (srv, client) -> {
            List<String> seen = new ArrayList<>();
            String path = "/v1/cdr?" + DAY + "&limit=4";
            int pages = 0;
            while (path != null) {
                JsonNode page = ok(client, path);
                seen.addAll(texts(page.path("items"), "uuid"));
                String next = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
                path = next == null ? null : "/v1/cdr?" + DAY + "&limit=4&cursor=" + next;
                pages++;
            }
            // 11 records in the day, 4 per page
            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactly("n1", "m5", "a4", "m4", "a3", "m3", "a2", "m2", "a1b", "a1a", "m1");

            JsonNode all = ok(client, "/v1/cdr");
            assertThat(texts(all.path("items"), "uuid")).hasSize(13).startsWith("o1").endsWith("o2");
            assertThat(all.path("next_cursor").isNull()).isTrue();
        });
    }

    @Test
    void filtersOnEveryCriterion() {
        ContractCheck.test(server.app(), (srv, client) -> {
            assertThat(uuids(client, "from=2024-03-01T12:00&to=2024-03-01T13:00")).containsExactly("a4", "m4");
            assertThat(uuids(client, "from=2024-03-02")).containsExactly("o1");
            assertThat(uuids(client, "to=2024-03-01")).containsExactly("o2");
            assertThat(uuids(client, "queue=sales")).containsExactly("m5", "a4", "m4");
            assertThat(uuids(client, "agent=1002@default")).containsExactly("m5", "a4", "m4");
            assertThat(uuids(client, "hangup_cause=ORIGINATOR_CANCEL")).containsExactly("a3");
            assertThat(uuids(client, "caller=5559999")).containsExactly("n1");
            assertThat(uuids(client, "destination=1001")).containsExactly("n1", "a2", "a1a");
            assertThat(uuids(client, "switch=fs2")).containsExactly("n1");
            assertThat(uuids(client, DAY + "&queue=support&agent=1000@default")).containsExactly("a3", "a1b", "m1");
            assertThat(uuids(client, "queue=nope")).isEmpty();
        });
    }

    @Test
    void getsOneRecordWithLocalTimesAndAbsentAnswerAsNull() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode m1 = ok(client, "/v1/cdr/m1");
            assertThat(m1.path("start_stamp").asText()).isEqualTo("2024-03-01T09:00:00");
            assertThat(m1.path("answer_stamp").asText()).isEqualTo("2024-03-01T09:00:01");
            assertThat(m1.path("queue_name").asText()).isEqualTo("support");
            assertThat(m1.path("member_state").asText()).isEqualTo("answered");
            assertThat(m1.path("billsec").asInt()).isEqualTo(299);
            assertThat(ok(client, "/v1/cdr/n1").path("answer_stamp").isNull()).isTrue();
            notFound(client, "/v1/cdr/nope");
        });
    }

    @Test
    void refusesBadListParametersNamingThem() {
        ContractCheck.test(server.app(), (srv, client) -> {
            badParameter(client, "/v1/cdr?from=yesterday", "from");
            badParameter(client, "/v1/cdr?to=2024-03-01T00:00:00Z", "to");
            badParameter(client, "/v1/cdr?from=2024-03-02&to=2024-03-01", "from");
            badParameter(client, "/v1/cdr?limit=0", "limit");
            badParameter(client, "/v1/cdr?limit=1001", "limit");
            badParameter(client, "/v1/cdr?cursor=bm90LWEtY3Vyc29y", "cursor");
            badParameter(client, "/v1/cdr?cursor=" + Cursors.encode("yesterday|m1"), "cursor");
            assertThat(ok(client, "/v1/cdr?limit=1000").path("items")).hasSize(13);
        });
    }

    @Test
    void queueStatisticsMatchTheHandComputedFigures() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode report = ok(client, "/v1/cdr/stats/queues?" + DAY);
            assertThat(report.path("from").asText()).isEqualTo("2024-03-01T00:00:00");
            assertThat(report.path("threshold").asInt()).isEqualTo(20);
            JsonNode queues = report.path("queues");
            assertThat(texts(queues, "queue")).containsExactly("sales", "support");

            JsonNode sales = queues.get(0);
            assertThat(sales.path("calls").asLong()).isEqualTo(2);                 // m4, m5
            assertThat(sales.path("answered").asLong()).isEqualTo(2);              // both cc_cause answered
            assertThat(sales.path("abandoned").asLong()).isZero();
            assertThat(sales.path("avg_duration").asDouble()).isEqualTo(350.0);    // (600 + 100) / 2
            assertThat(sales.path("max_duration").asInt()).isEqualTo(600);
            assertThat(sales.path("avg_billsec").asDouble()).isEqualTo(349.0);     // (599 + 99) / 2
            assertThat(sales.path("avg_wait").asDouble()).isEqualTo(5.0);          // m4 only: 12:00:05 - 12:00:00
            assertThat(sales.path("answered_within_threshold").asLong()).isEqualTo(1); // m4 (m5's wait unknown)
            assertThat(sales.path("service_level").asDouble()).isEqualTo(0.5);     // 1 / 2

            JsonNode support = queues.get(1);
            assertThat(support.path("calls").asLong()).isEqualTo(3);               // m1, m2, m3; agent legs not calls
            assertThat(support.path("answered").asLong()).isEqualTo(2);            // m1, m2
            assertThat(support.path("abandoned").asLong()).isEqualTo(1);           // m3, though the queue answered it
            assertThat(support.path("avg_duration").asDouble()).isEqualTo(160.0);  // (300 + 120 + 60) / 3
            assertThat(support.path("max_duration").asInt()).isEqualTo(300);
            assertThat(support.path("avg_billsec").asDouble()).isEqualTo(159.0);   // (299 + 119 + 59) / 3
            assertThat(support.path("avg_wait").asDouble()).isEqualTo(17.5);       // (25 + 10) / 2
            assertThat(support.path("answered_within_threshold").asLong()).isEqualTo(1); // m2: 10 <= 20 < 25
            assertThat(support.path("service_level").asDouble()).isEqualTo(0.3333); // 1 / 3

            JsonNode wider = ok(client, "/v1/cdr/stats/queues?" + DAY + "&threshold=25").path("queues").get(1);
            assertThat(wider.path("answered_within_threshold").asLong()).isEqualTo(2); // 10 and 25 <= 25
            assertThat(wider.path("service_level").asDouble()).isEqualTo(0.6667);    // 2 / 3

            JsonNode morning = ok(client, "/v1/cdr/stats/queues?from=2024-03-01T09:00&to=2024-03-01T10:00");
            assertThat(texts(morning.path("queues"), "calls")).containsExactly("1"); // m1 only
        });
    }

    @Test
    void agentStatisticsComeFromAgentLegs() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode agents = ok(client, "/v1/cdr/stats/agents?" + DAY).path("agents");
            assertThat(texts(agents, "agent")).containsExactly("1000@default", "1001@default", "1002@default");
            // 1000: a1b answered (275 s) + a3 not answered
            assertAgent(agents.get(0), 2, 1, 275, 275.0);
            // 1001: a1a not answered + a2 answered (110 s)
            assertAgent(agents.get(1), 2, 1, 110, 110.0);
            // 1002: a4 answered (595 s); the member legs m4, m5 naming 1002 are not the agent's legs
            assertAgent(agents.get(2), 1, 1, 595, 595.0);
        });
    }

    private static void assertAgent(JsonNode agent, long offered, long calls, long talk, double handle) {
        assertThat(agent.path("offered").asLong()).isEqualTo(offered);
        assertThat(agent.path("calls").asLong()).isEqualTo(calls);
        assertThat(agent.path("talk_time").asLong()).isEqualTo(talk);
        assertThat(agent.path("average_handle_time").asDouble()).isEqualTo(handle);
    }

    @Test
    void hangupCausesCountEveryLegMostFrequentFirst() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode causes = ok(client, "/v1/cdr/stats/hangup-causes?" + DAY).path("causes");
            // NORMAL_CLEARING: m1 a1b m2 a2 m3 m4 a4 m5 = 8; then one each, by name
            assertThat(texts(causes, "hangup_cause"))
                    .containsExactly("NORMAL_CLEARING", "NO_ANSWER", "ORIGINATOR_CANCEL", "USER_BUSY");
            assertThat(texts(causes, "calls")).containsExactly("8", "1", "1", "1");
        });
    }

    @Test
    void volumeCountsCallsPerBucketWithQuietBucketsAsZero() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode hours = ok(client, "/v1/cdr/stats/volume?" + DAY).path("buckets");
            assertThat(hours).hasSize(24);
            // one call (member leg or plain call) starts in each of 09:00 .. 14:00; agent legs are not calls
            List<String> expected = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                expected.add(h >= 9 && h <= 14 ? "1" : "0");
            }
            assertThat(texts(hours, "calls")).containsExactlyElementsOf(expected);
            assertThat(hours.get(9).path("bucket").asText()).isEqualTo("2024-03-01T09:00:00");

            JsonNode days = ok(client, "/v1/cdr/stats/volume?from=2024-02-29&to=2024-03-03&bucket=day");
            assertThat(days.path("bucket").asText()).isEqualTo("day");
            assertThat(texts(days.path("buckets"), "calls")).containsExactly("1", "6", "1"); // o2; day; o1

            JsonNode partial = ok(client, "/v1/cdr/stats/volume?from=2024-03-01T08:30&to=2024-03-01T10:30");
            assertThat(texts(partial.path("buckets"), "bucket"))
                    .containsExactly("2024-03-01T08:00:00", "2024-03-01T09:00:00", "2024-03-01T10:00:00");
            assertThat(texts(partial.path("buckets"), "calls")).containsExactly("0", "1", "1");
        });
    }

    @Test
    void everyStatisticNeedsABoundedWindow() {
        ContractCheck.test(server.app(), (srv, client) -> {
            for (String stat : List.of("queues", "agents", "hangup-causes", "volume")) {
                String path = "/v1/cdr/stats/" + stat;
                badParameter(client, path, "from");
                badParameter(client, path + "?from=2024-03-01", "to");
                badParameter(client, path + "?to=2024-03-01", "from");
                badParameter(client, path + "?from=2024-03-01&to=2024-03-01", "from");
                badParameter(client, path + "?from=2024-03-01&to=2024-06-02T00:00:01", "to"); // 93 days + 1 s
                badParameter(client, path + "?from=noon&to=2024-03-02", "from");
                ok(client, path + "?from=2024-03-01&to=2024-06-02"); // exactly 93 days
            }
            badParameter(client, "/v1/cdr/stats/queues?" + DAY + "&threshold=-1", "threshold");
            badParameter(client, "/v1/cdr/stats/queues?" + DAY + "&threshold=3601", "threshold");
            badParameter(client, "/v1/cdr/stats/volume?" + DAY + "&bucket=week", "bucket");
        });
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutesAndTheRequiredWindow() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode paths = ok(client, "/openapi.json").path("paths");
            assertThat(paths.has("/v1/cdr")).isTrue();
            assertThat(paths.has("/v1/cdr/{uuid}")).isTrue();
            JsonNode queues = paths.path("/v1/cdr/stats/queues").path("get");
            assertThat(queues.path("summary").asText()).contains("cc_cause 'answered'").contains("service level");
            List<String> required = new ArrayList<>();
            queues.path("parameters").forEach(p -> {
                if (p.path("required").asBoolean()) {
                    required.add(p.path("name").asText());
                }
            });
            assertThat(required).containsExactly("from", "to");
        });
    }

    private static List<String> uuids(io.javalin.testtools.HttpClient client, String query) {
        return texts(ok(client, "/v1/cdr?" + query).path("items"), "uuid");
    }
}

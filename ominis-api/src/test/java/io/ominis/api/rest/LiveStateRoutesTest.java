package io.ominis.api.rest;

import static io.ominis.api.rest.Api.badParameter;
import static io.ominis.api.rest.Api.notFound;
import static io.ominis.api.rest.Api.ok;
import static io.ominis.api.rest.Api.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live-state routes over HTTP, on rows written with the statements FreeSWITCH 1.10 and mod_callcenter issue
 * (every value a quoted literal, as the switch sends them).
 */
class LiveStateRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private OminisServer server;

    @BeforeAll
    static void load() throws Exception {
        long now = Instant.now().getEpochSecond();
        Api.sql(db,
                // fs1: a bridged call a -> b, and a lone parked inbound channel c; fs2: one ringing outbound leg d
                channel("a", "inbound", 1_700_000_000, "fs1", "public"),
                channel("b", "outbound", 1_700_000_001, "fs1", "default"),
                channel("c", "inbound", 1_700_000_002, "fs1", "default"),
                channel("d", "outbound", 1_700_000_003, "fs2", "default"),
                "update channels set state='CS_EXCHANGE_MEDIA' where uuid='a'",
                "update channels set state='CS_EXCHANGE_MEDIA' where uuid='b'",
                "update channels set state='CS_PARK' where uuid='c'",
                "update channels set callstate='ACTIVE' where uuid='a'",
                "update channels set callstate='ACTIVE' where uuid='b'",
                "update channels set callstate='RINGING' where uuid='d'",
                "update channels set call_uuid='a' where uuid='a' or uuid='b'",
                "insert into calls (call_uuid,call_created,call_created_epoch,caller_uuid,callee_uuid,hostname) "
                        + "values ('a','2023-11-14 22:13:25','1700000005','a','b','fs1')",
                registration("1001", "pbx.example.com", "call-1", now + 3600, "fs1"),
                registration("1002", "pbx.example.com", "call-2", now - 10, "fs1"),
                registration("1001", "other.example.com", "call-3", now + 60, "fs2"),
                "INSERT INTO agents (name, instance_id, type, status, state) "
                        + "VALUES('1000@default', 'single_box', 'callback', 'Logged Out', 'Waiting');",
                "INSERT INTO agents (name, instance_id, type, status, state) "
                        + "VALUES('1001@default', 'single_box', 'callback', 'Logged Out', 'Waiting');",
                "INSERT INTO agents (name, instance_id, type, status, state) "
                        + "VALUES('1002@default', 'single_box', 'callback', 'Logged Out', 'Waiting');",
                // agent set status stores the value as typed
                "UPDATE agents SET status = 'on break', last_status_change = '1700000000' WHERE name = '1001@default'",
                "UPDATE agents SET status = 'Available', last_status_change = '1700000000', talk_time = 0, "
                        + "calls_answered = 0, no_answer_count = 0 WHERE name = '1002@default' AND NOT status = 'Available'",
                "UPDATE agents SET state = 'In a queue call' WHERE name = '1002@default'",
                "INSERT INTO tiers (queue, agent, state, level, position) VALUES('support@default', '1000@default', 'Ready', '1', '1');",
                "INSERT INTO tiers (queue, agent, state, level, position) VALUES('support@default', '1001@default', 'Ready', '2', '1');",
                "INSERT INTO tiers (queue, agent, state, level, position) VALUES('sales@default', '1002@default', 'Ready', '1', '1');",
                "UPDATE tiers SET state = 'Active Inbound' WHERE queue = 'sales@default' AND agent = '1002@default'",
                member("support@default", "m1", "s1", 1_700_000_100, "Waiting"),
                member("support@default", "m2", "s2", 1_700_000_050, "Waiting"),
                member("sales@default", "m3", "s3", 1_700_000_000, "Answered"));
    }

    /** CHANNEL_CREATE as core_event_handler writes it: state CS_INIT, callstate DOWN. */
    private static String channel(String uuid, String direction, long epoch, String hostname, String context) {
        return ("insert into channels (uuid,direction,created,created_epoch, name,state,callstate,dialplan,context,"
                + "hostname,initial_cid_name,initial_cid_num,initial_ip_addr,initial_dest,initial_dialplan,"
                + "initial_context) values('%s','%s','2023-11-14 22:13:20','%d','sofia/internal/%s','CS_INIT','DOWN',"
                + "'XML','%s','%s','Alice','1001','10.0.0.5','7000','XML','%s')")
                .formatted(uuid, direction, epoch, uuid, context, hostname, context);
    }

    /** switch_core_add_registration without metadata; expires is an absolute epoch. */
    private static String registration(String user, String realm, String token, long expires, String hostname) {
        return ("insert into registrations (reg_user,realm,token,url,expires,network_ip,network_port,network_proto,"
                + "hostname) values ('%s','%s','%s','sofia/internal/sip:%s@10.0.0.9:5060',%d,'10.0.0.9','5060','udp',"
                + "'%s')").formatted(user, realm, token, user, expires, hostname);
    }

    /** The callcenter application putting a caller in a queue. */
    private static String member(String queue, String uuid, String session, long joined, String state) {
        return ("INSERT INTO members (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,"
                + "skill_score,cid_number,cid_name,serving_agent,serving_system,state) VALUES('%s','single_box','%s',"
                + "'%s','%d','%d','0','0','5551000','Alice','','','%s')")
                .formatted(queue, uuid, session, joined, joined, state);
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
    void listsChannelsOldestFirstFilteredByEachColumn() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode all = ok(client, "/v1/channels").path("items");
            assertThat(texts(all, "uuid")).containsExactly("a", "b", "c", "d");
            assertThat(all.get(0).path("created_epoch").asInt()).isEqualTo(1_700_000_000);
            assertThat(all.get(0).path("initial_cid_num").asText()).isEqualTo("1001");
            assertThat(channels(client, "hostname=fs2")).containsExactly("d");
            assertThat(channels(client, "state=CS_PARK")).containsExactly("c");
            assertThat(channels(client, "state=cs_exchange_media")).containsExactly("a", "b");
            assertThat(channels(client, "context=public")).containsExactly("a");
            assertThat(channels(client, "direction=outbound")).containsExactly("b", "d");
            assertThat(channels(client, "callstate=RINGING")).containsExactly("d");
            assertThat(channels(client, "hostname=fs1&direction=inbound&callstate=DOWN")).containsExactly("c");
            assertThat(channels(client, "hostname=fs9")).isEmpty();
            assertThat(channels(client, "limit=2")).containsExactly("a", "b");
            assertThat(channels(client, "limit=1000")).hasSize(4);
        });
    }

    @Test
    void refusesUnknownChannelFilterValuesAndLimitsNamingTheParameter() {
        ContractCheck.test(server.app(), (srv, client) -> {
            badParameter(client, "/v1/channels?state=EXECUTING", "state");
            badParameter(client, "/v1/channels?direction=sideways", "direction");
            badParameter(client, "/v1/channels?callstate=TALKING", "callstate");
            badParameter(client, "/v1/channels?limit=0", "limit");
            badParameter(client, "/v1/channels?limit=1001", "limit");
            badParameter(client, "/v1/channels?limit=ten", "limit");
        });
    }

    @Test
    void countsChannelsAndGetsOneBy404() {
        ContractCheck.test(server.app(), (srv, client) -> {
            assertThat(ok(client, "/v1/channels/count").path("count").asLong()).isEqualTo(4);
            JsonNode fs1 = ok(client, "/v1/channels/count?hostname=fs1");
            assertThat(fs1.path("hostname").asText()).isEqualTo("fs1");
            assertThat(fs1.path("count").asLong()).isEqualTo(3);
            assertThat(ok(client, "/v1/channels/count?hostname=fs9").path("count").asLong()).isZero();
            JsonNode c = ok(client, "/v1/channels/c");
            assertThat(c.path("state").asText()).isEqualTo("CS_PARK");
            assertThat(c.path("name").asText()).isEqualTo("sofia/internal/c");
            notFound(client, "/v1/channels/nope");
        });
    }

    @Test
    void listsCallsPairingBridgedLegs() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode calls = ok(client, "/v1/calls").path("items");
            // b is a callee leg, so it never appears as a caller
            assertThat(calls).hasSize(3);
            assertThat(calls.get(0).path("caller").path("uuid").asText()).isEqualTo("a");
            assertThat(calls.get(0).path("callee").path("uuid").asText()).isEqualTo("b");
            assertThat(calls.get(0).path("call_created_epoch").asInt()).isEqualTo(1_700_000_005);
            assertThat(calls.get(1).path("caller").path("uuid").asText()).isEqualTo("c");
            assertThat(calls.get(1).path("callee").isNull()).isTrue();
            assertThat(ok(client, "/v1/calls?hostname=fs2").path("items")).hasSize(1);
            assertThat(ok(client, "/v1/calls?limit=1").path("items")).hasSize(1);
            badParameter(client, "/v1/calls?limit=1001", "limit");
        });
    }

    @Test
    void listsRegistrationsMarkingExpiredOnes() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode all = ok(client, "/v1/registrations").path("items");
            assertThat(texts(all, "token")).containsExactly("call-3", "call-1", "call-2");
            assertThat(texts(all, "expired")).containsExactly("false", "false", "true");
            assertThat(all.get(1).path("reg_user").asText()).isEqualTo("1001");
            assertThat(all.get(1).path("network_proto").asText()).isEqualTo("udp");
            assertThat(texts(ok(client, "/v1/registrations?user=1001").path("items"), "token"))
                    .containsExactly("call-3", "call-1");
            assertThat(texts(ok(client, "/v1/registrations?realm=pbx.example.com").path("items"), "token"))
                    .containsExactly("call-1", "call-2");
            assertThat(texts(ok(client, "/v1/registrations?hostname=fs2").path("items"), "token"))
                    .containsExactly("call-3");
            assertThat(ok(client, "/v1/registrations?limit=1").path("items")).hasSize(1);
            badParameter(client, "/v1/registrations?limit=-1", "limit");
        });
    }

    @Test
    void listsAgentsInFreeSwitchSpellingsFilteredByStatusAndState() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode all = ok(client, "/v1/callcenter/agents").path("items");
            assertThat(texts(all, "name")).containsExactly("1000@default", "1001@default", "1002@default");
            assertThat(texts(all, "status")).containsExactly("Logged Out", "On Break", "Available");
            assertThat(texts(all, "state")).containsExactly("Waiting", "Waiting", "In a queue call");
            assertThat(all.get(0).path("instance_id").asText()).isEqualTo("single_box");
            assertThat(agents(client, "status=On%20Break")).containsExactly("1001@default");
            assertThat(agents(client, "status=available")).containsExactly("1002@default");
            assertThat(agents(client, "state=Waiting")).containsExactly("1000@default", "1001@default");
            assertThat(agents(client, "status=Logged%20Out&state=Waiting")).containsExactly("1000@default");
            assertThat(agents(client, "limit=1")).containsExactly("1000@default");
            badParameter(client, "/v1/callcenter/agents?status=Lunch", "status");
            badParameter(client, "/v1/callcenter/agents?state=Busy", "state");
            badParameter(client, "/v1/callcenter/agents?limit=1001", "limit");
        });
    }

    @Test
    void listsTiersFilteredByQueueAgentAndState() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode all = ok(client, "/v1/callcenter/tiers").path("items");
            assertThat(texts(all, "agent")).containsExactly("1002@default", "1000@default", "1001@default");
            assertThat(texts(all, "state")).containsExactly("Active Inbound", "Ready", "Ready");
            assertThat(texts(all, "level")).containsExactly("1", "1", "2");
            assertThat(tiers(client, "queue=support@default")).containsExactly("1000@default", "1001@default");
            assertThat(tiers(client, "agent=1001@default")).containsExactly("1001@default");
            assertThat(tiers(client, "state=active%20inbound")).containsExactly("1002@default");
            assertThat(tiers(client, "limit=2")).hasSize(2);
            badParameter(client, "/v1/callcenter/tiers?state=Asleep", "state");
            badParameter(client, "/v1/callcenter/tiers?limit=0", "limit");
        });
    }

    @Test
    void listsMembersInServingOrderFilteredByQueueAndState() {
        ContractCheck.test(server.app(), (srv, client) -> {
            // the longest-waiting caller (earliest joined_epoch) first
            assertThat(members(client, "")).containsExactly("m3", "m2", "m1");
            assertThat(members(client, "queue=support@default")).containsExactly("m2", "m1");
            assertThat(members(client, "state=Answered")).containsExactly("m3");
            assertThat(members(client, "queue=support@default&state=Waiting&limit=1")).containsExactly("m2");
            JsonNode m1 = ok(client, "/v1/callcenter/members?queue=support@default").path("items").get(1);
            assertThat(m1.path("session_uuid").asText()).isEqualTo("s1");
            assertThat(m1.path("state").asText()).isEqualTo("Waiting");
            badParameter(client, "/v1/callcenter/members?state=Gone", "state");
            badParameter(client, "/v1/callcenter/members?limit=5000", "limit");
        });
    }

    @Test
    void theOpenApiDocumentListsEveryLiveRouteAndValueSpelling() {
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode doc = ok(client, "/openapi.json");
            for (String path : List.of("/v1/channels", "/v1/channels/count", "/v1/channels/{uuid}", "/v1/calls",
                    "/v1/registrations", "/v1/callcenter/agents", "/v1/callcenter/tiers", "/v1/callcenter/members")) {
                assertThat(doc.path("paths").has(path)).as(path).isTrue();
            }
            JsonNode status = doc.path("components").path("schemas").path("Agent").path("properties").path("status");
            // FreeSWITCH's five spellings, and null: mod_callcenter's columns have no NOT NULL
            assertThat(status.path("enum").size()).isEqualTo(6);
            assertThat(status.path("enum").get(5).isNull()).isTrue();
            assertThat(status.path("enum").toString()).contains("On Break").contains("Available (On Demand)");
        });
    }

    private static List<String> channels(HttpClient client, String query) {
        return texts(ok(client, "/v1/channels?" + query).path("items"), "uuid");
    }

    private static List<String> agents(HttpClient client, String query) {
        return texts(ok(client, "/v1/callcenter/agents?" + query).path("items"), "name");
    }

    private static List<String> tiers(HttpClient client, String query) {
        return texts(ok(client, "/v1/callcenter/tiers?" + query).path("items"), "agent");
    }

    private static List<String> members(HttpClient client, String query) {
        return texts(ok(client, "/v1/callcenter/members?" + query).path("items"), "uuid");
    }
}

package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.api.rest.ApiClient.Reply;
import io.ominis.xmlrpc.SwitchControl.NodeOutcome;
import io.ominis.testing.OminisDatabase;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/acl}: CRUD with canonical CIDRs, a reload hint on every write, and {@code POST /v1/acl/reload}. */
class AclRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    static final List<NodeOutcome> ALL_OK = List.of(new NodeOutcome("fs1", true, "+OK acl reloaded", null),
            new NodeOutcome("fs2", true, "+OK acl reloaded", null));

    private int seeded;

    @BeforeEach
    void seed() {
        Tables.execute(db, "DELETE FROM acl_entries");
        Tables.execute(db, "INSERT INTO acl_entries (list_name, cidr, permission) VALUES ('lan', '10.0.0.0/8', 'allow')");
        seeded = Integer.parseInt(Tables.query(db, "SELECT id FROM acl_entries"));
    }

    static String state() {
        return Tables.snapshot(db, "acl_entries");
    }

    static void withApi(RecordingSwitchControl control, Consumer<ApiClient> test) {
        ApiClient.serve(db, Map.of(), control, test);
    }

    @Test
    void listsPageByListAndIdWithATotalOnlyWhenAskedForAndRefuseForeignCursors() {
        withApi(new RecordingSwitchControl(true, ALL_OK), api -> {
            for (int i = 1; i <= 5; i++) {
                assertThat(api.post("/v1/acl", j("{'list_name': 'paging', 'cidr': '10.77." + i + ".0/24'}")).code())
                        .isEqualTo(201);
            }
            java.util.List<String> seen = new java.util.ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = api.get("/v1/acl?list=paging&limit=2&total=true"
                        + (cursor == null ? "" : "&cursor=" + cursor)).json();
                assertThat(page.path("total").asLong()).isEqualTo(5);
                page.get("items").forEach(n -> seen.add(n.path("cidr").asText()));
                cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactly("10.77.1.0/24", "10.77.2.0/24", "10.77.3.0/24", "10.77.4.0/24",
                    "10.77.5.0/24");
            assertThat(api.get("/v1/acl?list=paging").json().path("total").isNull()).isTrue();

            String agentsCursor = api.get("/v1/callcenter/agents?limit=1").json().path("next_cursor").asText(null);
            for (String bad : java.util.Arrays.asList("not-a-cursor", agentsCursor)) {
                if (bad != null) {
                    assertProblem(api.get("/v1/acl?cursor=" + bad), 400, "cursor");
                }
            }
            assertProblem(api.get("/v1/acl?limit=0"), 400, "limit");
        });
    }

    @Test
    void createsListsReadsReplacesPatchesAndDeletesTellingTheSwitchEachTime() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, ALL_OK);
        withApi(control, api -> {
            Reply created = api.post("/v1/acl", j("{'list_name': 'lan', 'cidr': '2001:DB8:0:0::0/32', "
                    + "'permission': 'deny', 'description': 'docs'}"));
            assertThat(created.code()).as("%s", created).isEqualTo(201);
            int id = created.json().path("id").asInt();
            assertThat(created.location()).isEqualTo("/v1/acl/" + id);
            assertThat(created.json().path("cidr").asText()).isEqualTo("2001:db8::/32");
            assertThat(created.json().path("permission").asText()).isEqualTo("deny");
            Reply defaults = api.post("/v1/acl", j("{'cidr': '192.168.1.7'}"));
            assertThat(defaults.json().path("list_name").asText()).isEqualTo("trusted_users");
            assertThat(defaults.json().path("cidr").asText()).isEqualTo("192.168.1.7/32");
            assertThat(defaults.json().path("permission").asText()).isEqualTo("allow");
            assertThat(control.aclChanged.get()).isEqualTo(2);

            assertThat(api.get("/v1/acl").json().get("items")).hasSize(3);
            assertThat(api.get("/v1/acl?list=lan").json().get("items")).extracting(n -> n.path("cidr").asText())
                    .containsExactly("10.0.0.0/8", "2001:db8::/32");
            assertThat(api.get("/v1/acl?list=none").json().get("items")).isEmpty();
            assertThat(api.get("/v1/acl/" + id).json().path("description").asText()).isEqualTo("docs");

            Reply put = api.put("/v1/acl/" + id, j("{'list_name': 'wan', 'cidr': '172.16.0.0/12'}"));
            assertThat(put.code()).as("%s", put).isEqualTo(200);
            assertThat(put.json().path("permission").asText()).isEqualTo("allow");
            assertThat(put.json().path("description").isNull()).isTrue();
            Reply patched = api.patch("/v1/acl/" + id, j("{'permission': 'deny'}"));
            assertThat(patched.json().path("cidr").asText()).isEqualTo("172.16.0.0/12");
            assertThat(patched.json().path("permission").asText()).isEqualTo("deny");
            assertThat(created.json().path("reload").path("status").asText()).isEqualTo("ok");
            assertThat(put.json().path("reload").path("nodes")).hasSize(ALL_OK.size());
            Reply deleted = api.delete("/v1/acl/" + id);
            assertThat(deleted.code()).isEqualTo(200);
            assertThat(deleted.json().path("reload").path("status").asText()).isEqualTo("ok");
            assertProblem(api.get("/v1/acl/" + id), 404, null);
            assertThat(control.aclChanged.get()).isEqualTo(5);
            assertThat(control.reloads.get()).isZero();
        });
    }

    @Test
    void refusesInvalidValuesNamingTheFieldAndChangesNothing() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, ALL_OK);
        withApi(control, api -> {
            String before = state();
            String[][] cases = {
                    {"{'cidr': '10.0.0.1/8'}", "cidr"},
                    {"{'cidr': '300.0.0.0/8'}", "cidr"},
                    {"{'cidr': '10.0.0.0/33'}", "cidr"},
                    {"{'cidr': '2001:db8::g/64'}", "cidr"},
                    {"{'cidr': 'example.com'}", "cidr"},
                    {"{'cidr': ''}", "cidr"},
                    {"{'list_name': 'bad list', 'cidr': '10.1.0.0/16'}", "list_name"},
                    {"{'cidr': '10.1.0.0/16', 'permission': 'maybe'}", "permission"},
                    {"{'cidr': '10.1.0.0/16', 'description': 'bell\\u0007'}", "description"},
            };
            for (String[] c : cases) {
                assertProblem(api.post("/v1/acl", j(c[0])), 400, c[1]);
                assertProblem(api.put("/v1/acl/" + seeded, j(c[0])), 400, c[1]);
                assertProblem(api.patch("/v1/acl/" + seeded, j(c[0])), 400, c[1]);
            }
            assertProblem(api.post("/v1/acl", j("{'list_name': 'lan'}")), 400, "cidr");
            assertProblem(api.get("/v1/acl?list=bad%20list"), 400, "list");
            assertThat(state()).isEqualTo(before);
            assertThat(control.aclChanged.get()).isZero();
        });
    }

    @Test
    void answersNotFoundAndConflicts() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, ALL_OK);
        withApi(control, api -> {
            String before = state();
            for (String id : new String[] {"999999", "abc", "-1"}) {
                assertProblem(api.get("/v1/acl/" + id), 404, null);
                assertProblem(api.put("/v1/acl/" + id, j("{'cidr': '10.9.0.0/16'}")), 404, null);
                assertProblem(api.patch("/v1/acl/" + id, j("{'cidr': '10.9.0.0/16'}")), 404, null);
                assertProblem(api.delete("/v1/acl/" + id), 404, null);
            }
            // the same network in other words is the same entry
            assertProblem(api.post("/v1/acl", j("{'list_name': 'lan', 'cidr': '10.0.0.0/8'}")), 409, null);
            Reply created = api.post("/v1/acl", j("{'list_name': 'lan', 'cidr': '::1'}"));
            assertThat(created.code()).isEqualTo(201);
            String withTwo = state();
            assertProblem(api.post("/v1/acl", j("{'list_name': 'lan', 'cidr': '0:0::1/128'}")), 409, null);
            assertProblem(api.patch("/v1/acl/" + created.json().path("id").asInt(), j("{'cidr': '10.0.0.0/8'}")),
                    409, null);
            assertThat(state()).isEqualTo(withTwo).isNotEqualTo(before);
            assertThat(control.aclChanged.get()).isEqualTo(1);
            // another list may hold the same network
            assertThat(api.post("/v1/acl", j("{'list_name': 'wan', 'cidr': '10.0.0.0/8'}")).code()).isEqualTo(201);
        });
    }

    @Test
    void reloadsEveryNodeAndReportsEachOutcome() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, ALL_OK);
        withApi(control, api -> {
            Reply reloaded = api.post("/v1/acl/reload", null);
            assertThat(reloaded.code()).as("%s", reloaded).isEqualTo(200);
            assertThat(reloaded.json().path("nodes")).hasSize(2);
            assertThat(reloaded.json().path("nodes").get(0).path("node").asText()).isEqualTo("fs1");
            assertThat(reloaded.json().path("nodes").get(0).path("ok").asBoolean()).isTrue();
            assertThat(reloaded.json().path("nodes").get(0).path("reply").asText()).isEqualTo("+OK acl reloaded");
            assertThat(control.reloads.get()).isEqualTo(1);
        });
    }

    @Test
    void answersBadGatewayWithTheOutcomesWhenANodeFails() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, List.of(ALL_OK.get(0),
                new NodeOutcome("fs2", false, null, "connection refused")));
        withApi(control, api -> {
            Reply failed = api.post("/v1/acl/reload", null);
            assertProblem(failed, 502, null);
            assertThat(failed.json().path("detail").asText()).contains("1 of 2");
            assertThat(failed.json().path("nodes")).hasSize(2);
            assertThat(failed.json().path("nodes").get(1).path("ok").asBoolean()).isFalse();
            assertThat(failed.json().path("nodes").get(1).path("error").asText()).isEqualTo("connection refused");
        });
    }

    @Test
    void aWriteReportsEachNodesReloadAndSaysSoWhenOneFailed() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, List.of(ALL_OK.get(0),
                new NodeOutcome("fs2", false, null, "connection refused")));
        withApi(control, api -> {
            Reply created = api.post("/v1/acl", j("{'cidr': '10.9.0.0/16'}"));
            // the entry is stored whatever a node said: the status is the write's, the body tells the rest
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.json().path("cidr").asText()).isEqualTo("10.9.0.0/16");
            assertThat(created.json().path("reload").path("status").asText()).isEqualTo("failed");
            assertThat(created.json().path("reload").path("nodes").get(1).path("error").asText())
                    .isEqualTo("connection refused");
            Reply got = api.get(created.location());
            assertThat(got.json().has("reload")).isFalse();
            Reply patched = api.patch(created.location(), j("{'description': 'x'}"));
            assertThat(patched.json().path("reload").path("status").asText()).isEqualTo("failed");
        });
    }

    @Test
    void answersUnavailableWithoutNodes() {
        RecordingSwitchControl control = new RecordingSwitchControl(false, List.of());
        withApi(control, api -> {
            Reply refused = api.post("/v1/acl/reload", null);
            assertProblem(refused, 503, null);
            assertThat(refused.json().path("detail").asText()).contains("OMINIS_FREESWITCH_NODES");
            assertThat(control.reloads.get()).isZero();
            // writes still work and still note the change
            Reply written = api.post("/v1/acl", j("{'cidr': '10.2.0.0/16'}"));
            assertThat(written.code()).isEqualTo(201);
            assertThat(written.json().path("reload").path("status").asText()).isEqualTo("not_configured");
            assertThat(control.aclChanged.get()).isEqualTo(1);
        });
    }

    @Test
    void refusesMalformedBodies() {
        RecordingSwitchControl control = new RecordingSwitchControl(true, ALL_OK);
        withApi(control, api -> {
            String valid = j("{'list_name': 'lan', 'cidr': '10.3.0.0/16'}");
            api.assertRejectsBadBodies("POST", "/v1/acl", valid, "cidr", AclRoutesTest::state);
            api.assertRejectsBadBodies("PUT", "/v1/acl/" + seeded, valid, "cidr", AclRoutesTest::state);
            api.assertRejectsBadBodies("PATCH", "/v1/acl/" + seeded, valid, "cidr", AclRoutesTest::state);
            assertThat(control.aclChanged.get()).isZero();
        });
    }

    @Test
    void needsTheBearerTokenWhenOneIsSet() {
        ApiClient.assertNeedsToken(db, "DELETE", "/v1/acl/" + seeded, null, AclRoutesTest::state);
    }

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNone() {
        withApi(new RecordingSwitchControl(true, ALL_OK), api -> ConcurrentPatches.assertNoLostField(api,
                "/v1/acl/" + seeded, Map.of(
                        "list_name", k -> "\"list_" + k + "\"",
                        "cidr", k -> "\"10." + k + ".0.0/16\"",
                        "permission", k -> k % 2 == 0 ? "\"deny\"" : "\"allow\"",
                        "description", k -> "\"Entry " + k + "\"")));
    }

    @Test
    void sendsAnETagAndRefusesAStaleIfMatchWith412() {
        withApi(new RecordingSwitchControl(true, ALL_OK), api -> ConcurrentPatches.assertIfMatch(api,
                "/v1/acl/" + seeded, j("{'description': 'one'}"), j("{'description': 'two'}"), AclRoutesTest::state));
    }
}

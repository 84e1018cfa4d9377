package io.ominis.api.rest;

import static io.ominis.api.rest.ApiClient.assertProblem;
import static io.ominis.api.rest.ApiClient.j;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The parts of {@code /v1/extensions} that share helpers with the IVR and ACL routes: merge patch and path keys. */
class ExtensionMergePatchTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void patchesPutsAndRefusesWhatContradictsThePath() {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                ApiClient api = new ApiClient(client);
                assertThat(api.post("/v1/extensions", j("{'number': '1001', 'password': 'Secret-1-pass', "
                        + "'display_name': 'Ann'}")).code()).isEqualTo(201);
                String before = Tables.snapshot(db, "extensions");
                assertProblem(api.patch("/v1/extensions/1001", j("{'password': null}")), 400, "password");
                assertProblem(api.patch("/v1/extensions/1001", j("{'display_name': 7}")), 400, "display_name");
                assertProblem(api.put("/v1/extensions/1001", j("{'number': '1002', 'password': 'x'}")), 400,
                        "number");
                assertProblem(api.post("/v1/extensions", j("{'password': 'x'}")), 400, "number");
                assertThat(Tables.snapshot(db, "extensions")).isEqualTo(before);

                ApiClient.Reply patched = api.patch("/v1/extensions/1001", j("{'password': 'Rotated-2-pass'}"));
                assertThat(patched.code()).isEqualTo(200);
                assertThat(patched.json().path("display_name").asText()).isEqualTo("Ann");
                assertThat(Tables.query(db, "SELECT password FROM extensions WHERE number = '1001'"))
                        .isEqualTo("Rotated-2-pass");
                assertThat(api.put("/v1/extensions/1001", j("{'display_name': 'Bea'}")).json()
                        .path("display_name").asText()).isEqualTo("Bea");
                assertThat(Tables.query(db, "SELECT password FROM extensions WHERE number = '1001'"))
                        .isEqualTo("Rotated-2-pass");
            });
        }
    }

    @Test
    void concurrentPatchesOfDifferentFieldsLoseNoneAndAStaleIfMatchIsRefused() {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                ApiClient api = new ApiClient(client);
                assertThat(api.post("/v1/extensions", j("{'number': '3001', 'password': 'Secret-3001-pass'}")).code())
                        .isEqualTo(201);
                ConcurrentPatches.assertNoLostField(api, "/v1/extensions/3001", Map.of(
                        "display_name", k -> "\"Name " + k + "\"",
                        "email", k -> "\"u" + k + "@example.com\"",
                        "department", k -> "\"Dept " + k + "\"",
                        "status", k -> k % 2 == 0 ? "\"inactive\"" : "\"suspended\"",
                        "call_forwarding_json", k -> "{\"destination\":\"" + (2000 + k) + "\"}",
                        "voicemail_json", k -> "{\"enabled\":" + (k % 2 == 0) + ",\"n\":" + k + "}",
                        "features_json", k -> "{\"n\":" + k + "}"));
                ConcurrentPatches.assertIfMatch(api, "/v1/extensions/3001", j("{'display_name': 'One'}"),
                        j("{'display_name': 'Two'}"), () -> Tables.snapshot(db, "extensions"));
            });
        }
    }
}

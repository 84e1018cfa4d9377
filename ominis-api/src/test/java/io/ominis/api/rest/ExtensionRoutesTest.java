package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.ominis.api.ApiCalls.assertProblem;
import static io.ominis.api.ApiCalls.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.ominis.api.ContractCheck;
import io.javalin.testtools.Response;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.testing.OminisDatabase;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> flushed = new ArrayList<>();
    private OminisServer server;

    @BeforeEach
    void start() throws Exception {
        sql("DELETE FROM extensions");
        SwitchControl recording = new SwitchControl() {
            @Override
            public boolean configured() {
                return true;
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<NodeOutcome>> reloadAcl() {
                return java.util.concurrent.CompletableFuture.completedFuture(List.of());
            }

            @Override
            public void aclChanged() {
            }

            @Override
            public void extensionChanged(String number) {
                flushed.add(number);
            }
        };
        server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource(), recording);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createsReadsUpdatesPatchesAndDeletesWithoutEverShowingThePassword() {
        ContractCheck.test(server.app(), (srv, client) -> {
            Response created = send(client, "POST", "/v1/extensions", """
                    {"number": "1001", "password": "Winnipeg2025", "display_name": "John Doe",
                     "email": "john@example.com", "department": "Sales",
                     "call_forwarding_json": {"enabled": true, "destination": "1002"}}""");
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.headers().get("Location")).containsExactly("/v1/extensions/1001");
            JsonNode body = JSON.readTree(created.body().string());
            assertThat(body.get("number").asText()).isEqualTo("1001");
            assertThat(body.get("status").asText()).isEqualTo("active");
            assertThat(body.get("call_forwarding_json").get("destination").asText()).isEqualTo("1002");
            assertThat(body.has("password")).isFalse();
            assertThat(created.body().string()).doesNotContain("Winnipeg2025");
            assertThat(body.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

            Response got = client.get("/v1/extensions/1001");
            assertThat(got.code()).isEqualTo(200);
            assertThat(got.body().string()).doesNotContain("Winnipeg2025").contains("John Doe");

            Response put = send(client, "PUT", "/v1/extensions/1001", """
                    {"display_name": "Jane Doe", "status": "suspended"}""");
            assertThat(put.code()).isEqualTo(200);
            assertThat(JSON.readTree(put.body().string()).get("status").asText()).isEqualTo("suspended");
            assertThat(column("SELECT password FROM extensions WHERE number = '1001'")).isEqualTo("Winnipeg2025");
            assertThat(column("SELECT email FROM extensions WHERE number = '1001'")).isNull();

            Response rotate = send(client, "PATCH", "/v1/extensions/1001", "{\"password\": \"Rotated-2026\"}");
            assertThat(rotate.code()).isEqualTo(200);
            assertThat(rotate.body().string()).doesNotContain("Rotated-2026").contains("Jane Doe");
            assertThat(column("SELECT password FROM extensions WHERE number = '1001'")).isEqualTo("Rotated-2026");

            Response clear = send(client, "PATCH", "/v1/extensions/1001", "{\"display_name\": null}");
            assertThat(JSON.readTree(clear.body().string()).get("display_name").isNull()).isTrue();

            assertThat(client.delete("/v1/extensions/1001").code()).isEqualTo(204);
            assertThat(client.get("/v1/extensions/1001").code()).isEqualTo(404);
            assertThat(client.delete("/v1/extensions/1001").code()).isEqualTo(404);
            assertThat(flushed).containsExactly("1001", "1001", "1001", "1001", "1001");
        });
    }

    @Test
    void refusesBadInputWithAProblemNamingTheFieldAndWritesNothing() throws Exception {
        sql("INSERT INTO extensions (number, password) VALUES ('2000', 'keep')");
        ContractCheck.test(server.app(), (srv, client) -> {
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"10 01\", \"password\": \"x\"}"),
                    400, "number");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\"}"), 400, "password");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\", \"password\": \"x\", "
                    + "\"status\": \"deleted\"}"), 400, "status");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\", \"password\": \"x\", "
                    + "\"colour\": \"red\"}"), 400, "colour");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": 1001, \"password\": \"x\"}"), 400,
                    "number");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\", \"password\": \"x\", "
                    + "\"voicemail_json\": [1]}"), 400, "voicemail_json");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\", \"password\": \"x\","),
                    400, "body");
            assertProblem(send(client, "POST", "/v1/extensions", ""), 400, "body");
            assertProblem(send(client, "POST", "/v1/extensions", "\"just a string\""), 400, "body");
            assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"2000\", \"password\": "
                    + "\"Secret-2000-pass\"}"), 409, null);
            Response wrongType = client.request("/v1/extensions", b -> b
                    .post(HttpRequest.BodyPublishers.ofString("number=1001&password=x"))
                    .header("Content-Type", "application/x-www-form-urlencoded"));
            assertProblem(wrongType, 415, null);
            assertThat(io.ominis.api.ApiCalls.announceLargeBody(srv.port(), "POST", "/v1/extensions", 2_000_000))
                    .isEqualTo(413);
            assertProblem(send(client, "PUT", "/v1/extensions/2000", "{\"number\": \"2001\"}"), 400, "number");
            assertProblem(send(client, "PATCH", "/v1/extensions/2000", "{\"password\": null}"), 400, "password");
            assertProblem(send(client, "PATCH", "/v1/extensions/2000", "{\"password\": \"\"}"), 400, "password");
            assertProblem(send(client, "PATCH", "/v1/extensions/404", "{\"password\": \"y\"}"), 404, null);
            assertProblem(client.get("/v1/extensions?limit=0"), 400, "limit");
            assertProblem(client.get("/v1/extensions?status=gone"), 400, "status");
            assertProblem(client.get("/v1/extensions?cursor=bogus"), 400, "cursor");
            assertProblem(client.get("/v1/no-such-route"), 404, null);
        });
        assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("1");
        assertThat(column("SELECT password FROM extensions WHERE number = '2000'")).isEqualTo("keep");
        assertThat(flushed).isEmpty();
    }

    @Test
    void passwordsSetThroughTheApiMeetThePolicyAndOldOnesDoNotBlockOtherChanges() throws Exception {
        sql("INSERT INTO extensions (number, password) VALUES ('2000', 'keep')");
        ContractCheck.test(server.app(), (srv, client) -> {
            for (String weak : List.of("x", "1234", "secretsecretsecret", "Secretsecretsecret", "Secret-1")) {
                assertProblem(send(client, "POST", "/v1/extensions", "{\"number\": \"1001\", \"password\": \""
                        + weak + "\"}"), 400, "password");
                assertProblem(send(client, "PATCH", "/v1/extensions/2000", "{\"password\": \"" + weak + "\"}"),
                        400, "password");
                assertProblem(send(client, "PUT", "/v1/extensions/2000", "{\"password\": \"" + weak + "\"}"),
                        400, "password");
            }
            // the real-switch tests' passwords, and a change that keeps a password stored before the policy
            assertThat(send(client, "POST", "/v1/extensions", "{\"number\": \"1101\", \"password\": "
                    + "\"Secret-1101-pass\"}").code()).isEqualTo(201);
            assertThat(send(client, "PATCH", "/v1/extensions/2000", "{\"display_name\": \"Old\"}").code())
                    .isEqualTo(200);
            assertThat(send(client, "PUT", "/v1/extensions/2000", "{\"display_name\": \"Older\"}").code())
                    .isEqualTo(200);
        });
        assertThat(column("SELECT password FROM extensions WHERE number = '2000'")).isEqualTo("keep");
        ServerSettings lax = ServerFixture.settings(db, Map.of("OMINIS_SIP_PASSWORD_MIN_LENGTH", "4",
                "OMINIS_SIP_PASSWORD_MIN_CLASSES", "1"));
        assertThat(lax.sipPasswords()).isEqualTo(new io.ominis.core.directory.PasswordPolicy(4, 1));
        assertThatThrownBy(() -> ServerFixture.settings(db, Map.of("OMINIS_SIP_PASSWORD_MIN_CLASSES", "5")))
                .hasMessageContaining("OMINIS_SIP_PASSWORD_MIN_CLASSES");
    }

    @Test
    void refusesFreeSwitchExpansionInsideEveryJsonFieldNamingTheMember() throws Exception {
        sql("INSERT INTO extensions (number, password) VALUES ('2000', 'keep')");
        ContractCheck.test(server.app(), (srv, client) -> {
            String[][] cases = {
                    {"\"features_json\": {\"accountcode\": \"${system(id)}\"}", "features_json.accountcode"},
                    {"\"features_json\": {\"toll_allow\": \"$${hostname}\"}", "features_json.toll_allow"},
                    {"\"features_json\": {\"${x}\": \"a\"}", "features_json.${x}"},
                    {"\"voicemail_json\": {\"password\": \"${api(status)}\"}", "voicemail_json.password"},
                    {"\"voicemail_json\": {\"email\": \"a${b}@c.d\"}", "voicemail_json.email"},
                    {"\"call_forwarding_json\": {\"destination\": \"${x}\"}", "call_forwarding_json.destination"},
                    {"\"features_json\": {\"deep\": {\"list\": [1, \"${x}\"]}}", "features_json.deep.list[1]"},
                    {"\"email\": \"a${b}@c.d\"", "email"},
                    {"\"password\": \"Pass-${x}-word1\"", "password"},
            };
            for (String[] c : cases) {
                String field = c[1];
                String password = field.equals("password") ? "" : "\"password\": \"Secret-1001-pass\", ";
                assertProblem(send(client, "POST", "/v1/extensions",
                        "{\"number\": \"1001\", " + password + c[0] + "}"), 400, field);
                assertProblem(send(client, "PATCH", "/v1/extensions/2000", "{" + c[0] + "}"), 400, field);
            }
        });
        assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("1");
        assertThat(column("SELECT coalesce(features_json::text, '') FROM extensions")).isEmpty();
        // another writer meets the same rule in the schema
        for (String update : List.of("features_json = '{\"accountcode\": \"${system(id)}\"}'",
                "voicemail_json = '{\"password\": \"$${x}\"}'", "email = 'a${b}@c'", "password = '${x}'")) {
            try {
                sql("UPDATE extensions SET " + update + " WHERE number = '2000'");
                throw new AssertionError("accepted " + update);
            } catch (java.sql.SQLException e) {
                assertThat(e.getSQLState()).as(update).isEqualTo("23514");
            }
        }
    }

    @Test
    void bulkCreateIsAllOrNothingAndReportsEveryBadRow() throws Exception {
        ContractCheck.test(server.app(), (srv, client) -> {
            Response bad = send(client, "POST", "/v1/extensions", """
                    [{"number": "3001", "password": "Secret-3001-pass"},
                     {"number": "bad one", "password": "Secret-3002-pass"},
                     {"number": "3003"},
                     {"number": "3001", "password": "Secret-dup1-pass"}]""");
            assertThat(bad.code()).isEqualTo(400);
            JsonNode problem = JSON.readTree(bad.body().string());
            assertThat(problem.get("errors")).hasSize(2);
            assertThat(problem.get("errors").get(0).get("index").asInt()).isEqualTo(1);
            assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("number");
            assertThat(problem.get("errors").get(1).get("index").asInt()).isEqualTo(2);
            assertThat(problem.get("errors").get(1).get("field").asText()).isEqualTo("password");
            assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("0");

            Response rows = send(client, "POST", "/v1/extensions", """
                    [{"number": "3001", "password": "Secret-3001-pass"}, {"number": "3002", "password": "Secret-3002-pass"},
                     {"number": "3001", "password": "Secret-dup1-pass"}]""");
            assertThat(rows.code()).isEqualTo(400);
            JsonNode errors = JSON.readTree(rows.body().string()).get("errors");
            assertThat(errors.get(0).get("index").asInt()).isEqualTo(2);
            assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("0");

            Response ok = send(client, "POST", "/v1/extensions", """
                    [{"number": "3001", "password": "Secret-3001-pass"}, {"number": "3002", "password": "Secret-3002-pass"}]""");
            assertThat(ok.code()).isEqualTo(201);
            assertThat(JSON.readTree(ok.body().string())).hasSize(2);
            assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("2");
        });
    }

    @Test
    void listsWithFiltersAndOpaqueCursors() throws Exception {
        for (int i = 0; i < 7; i++) {
            sql("INSERT INTO extensions (number, password, department, status) VALUES ('40" + i + "', 'x', '"
                    + (i % 2 == 0 ? "Sales" : "Support") + "', '" + (i == 3 ? "inactive" : "active") + "')");
        }
        ContractCheck.test(server.app(), (srv, client) -> {
            JsonNode first = JSON.readTree(client.get("/v1/extensions?limit=3").body().string());
            assertThat(first.get("items")).hasSize(3);
            String cursor = first.get("next_cursor").asText();
            assertThat(cursor).doesNotContain("402");
            JsonNode second = JSON.readTree(client.get("/v1/extensions?limit=3&cursor=" + cursor).body().string());
            assertThat(second.get("items").get(0).get("number").asText()).isEqualTo("403");
            JsonNode sales = JSON.readTree(client.get("/v1/extensions?department=Sales").body().string());
            assertThat(sales.get("items")).hasSize(4);
            assertThat(sales.get("next_cursor").isNull()).isTrue();
            JsonNode inactive = JSON.readTree(client.get("/v1/extensions?status=inactive").body().string());
            assertThat(inactive.get("items")).hasSize(1);
            assertThat(client.get("/v1/extensions").body().string()).doesNotContain("password");
        });
    }

    @Test
    void requiresTheBearerTokenWhenOneIsConfigured() throws Exception {
        try (OminisServer guarded = OminisServer.create(ServerFixture.settings(db,
                Map.of("OMINIS_API_TOKEN", "a-token-of-32-characters-or-so!!")), db.dataSource())) {
            ContractCheck.test(guarded.app(), (srv, client) -> {
                Response none = client.get("/v1/extensions");
                assertProblem(none, 401, null);
                assertThat(none.headers().get("WWW-Authenticate")).isNotEmpty();
                Response wrong = client.get("/v1/extensions", b -> b.header("Authorization", "Bearer nope"));
                assertProblem(wrong, 401, null);
                Response right = client.get("/v1/extensions",
                        b -> b.header("Authorization", "Bearer a-token-of-32-characters-or-so!!"));
                assertThat(right.code()).isEqualTo(200);
                Response writeWithout = send(client, "POST", "/v1/extensions", "{\"number\": \"1\", \"password\": \"x\"}");
                assertProblem(writeWithout, 401, null);
                assertThat(client.get("/health/live").code()).isEqualTo(200);
            });
        }
        assertThat(column("SELECT count(*) FROM extensions")).isEqualTo("0");
    }

    static void sql(String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    static String column(String query) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

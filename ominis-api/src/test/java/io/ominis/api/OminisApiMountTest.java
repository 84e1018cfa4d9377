package io.ominis.api;

import static io.ominis.api.ApiCalls.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.SwitchControl;
import java.net.http.HttpRequest;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An app of its own with Ominis mounted beside its routes, as {@link OminisApi} promises. */
class OminisApiMountTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String TOKEN = "a-token-of-32-characters-or-so!!";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The app's own answer, in its own (camelCase) JSON. */
    public record Greeting(String displayText, int answerCount) {
    }

    @Test
    void ominisRoutesUnderThePrefixBesideTheAppsOwn() throws Exception {
        try (OminisServices ominis = OminisServices.create(ServerFixture.settings(db,
                Map.of("OMINIS_API_TOKEN", TOKEN)), db.dataSource(), SwitchControl.NONE)) {
            Javalin app = Javalin.create(config -> {
                config.routes.get("/hello", ctx -> ctx.json(new Greeting("hi", 42)));
                config.routes.get("/boom", ctx -> {
                    throw new IllegalStateException("the app's own failure");
                });
                config.routes.exception(IllegalStateException.class, (e, ctx) -> ctx.status(418).result("app handler"));
                OminisApi.install(config, ominis, "/ominis", OminisApi.allGroups());
            });
            ContractCheck.test(app, (server, client) -> {
                // the app's routes: its mapper, its exception handler, its 404
                JsonNode hello = JSON.readTree(client.get("/hello").body().string());
                assertThat(hello.has("displayText")).isTrue();
                assertThat(hello.has("display_text")).isFalse();
                Response boom = client.get("/boom");
                assertThat(boom.code()).isEqualTo(418);
                assertThat(boom.body().string()).isEqualTo("app handler");
                Response appMissing = client.get("/nothing-here");
                assertThat(appMissing.code()).isEqualTo(404);
                assertThat(contentType(appMissing)).doesNotStartWith("application/problem+json");

                // Ominis under /ominis: auth, snake_case JSON, problem+json errors
                assertProblem(client.get("/ominis/v1/extensions"), 401, null);
                Response created = withToken(client, "POST", "/ominis/v1/extensions",
                        "{\"number\": \"1001\", \"password\": \"Winnipeg-2025\", \"display_name\": \"Front desk\"}");
                assertThat(created.code()).as(created.body().string()).isEqualTo(201);
                JsonNode extension = JSON.readTree(withToken(client, "GET", "/ominis/v1/extensions/1001", null)
                        .body().string());
                assertThat(extension.get("display_name").asText()).isEqualTo("Front desk");
                assertThat(extension.has("displayName")).isFalse();
                assertThat(extension.has("password")).isFalse();
                assertProblem(withToken(client, "GET", "/ominis/v1/extensions/9999", null), 404, null);
                assertProblem(withToken(client, "GET", "/ominis/v1/no-such-route", null), 404, null);
                assertProblem(withToken(client, "POST", "/ominis/v1/extensions",
                        "{\"number\": \"1 2\", \"password\": \"Winnipeg-2025\"}"), 400, "number");
                // not served at the root
                assertThat(withToken(client, "GET", "/v1/extensions", null).code()).isEqualTo(404);

                // FreeSWITCH-facing and operations groups, under the prefix too
                Response directory = client.get("/ominis/v1/freeswitch/directory?"
                        + ApiCalls.sipAuth("1001", "example.com"));
                assertThat(contentType(directory)).startsWith("text/xml");
                assertThat(directory.body().string()).contains("id=\"1001\"");
                assertThat(client.get("/ominis/health/live").code()).isEqualTo(200);
                // the console, under the prefix too, naming its files and the API with it
                assertThat(client.get("/ominis/console/").body().string())
                        .contains("src=\"/ominis/console/console.js\"");
                assertThat(client.get("/ominis/console/api.js").code()).isEqualTo(200);
                assertThat(client.get("/console/").code()).isEqualTo(404);
                String openApi = client.get("/ominis/openapi.json").body().string();
                assertThat(openApi).contains("/ominis/v1/extensions/{number}").doesNotContain("\"/v1/extensions\"");
            });
        }
    }

    @Test
    void onlyTheChosenGroupsAreMounted() throws Exception {
        try (OminisServices ominis = OminisServices.create(ServerFixture.settings(db, Map.of()), db.dataSource(),
                SwitchControl.NONE)) {
            Javalin app = Javalin.create(config -> OminisApi.install(config, ominis, "/api",
                    EnumSet.of(OminisApi.Group.MANAGEMENT)));
            ContractCheck.test(app, (server, client) -> {
                // loopback without a token: management is served
                assertThat(client.get("/api/v1/extensions").code()).isEqualTo(200);
                assertProblem(client.get("/api/health/live"), 404, null);
                assertProblem(client.get("/api/v1/freeswitch/directory"), 404, null);
                assertProblem(client.get("/api/metrics"), 404, null);
                assertProblem(client.get("/api/console/"), 404, null);
            });
        }
    }

    private static Response withToken(HttpClient client, String method, String path, String json) {
        return client.request(path, b -> {
            if (json != null) {
                HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(json);
                b.post(body);
                b.header("Content-Type", "application/json");
            }
            b.header("Authorization", "Bearer " + TOKEN);
        });
    }

    private static String contentType(Response r) {
        java.util.List<String> values = r.headers().get("Content-Type");
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}

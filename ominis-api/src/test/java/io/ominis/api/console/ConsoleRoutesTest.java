package io.ominis.api.console;

import static io.ominis.api.ApiCalls.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.freeswitch.FreeSwitchStandIn;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.FreeSwitchNodes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's files, its session check and the overview it reads, over HTTP. */
class ConsoleRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String TOKEN = "console-token-of-32-characters!!";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void filesComeWithAStrictPolicyAndNothingElseIsServed() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of("OMINIS_API_TOKEN", TOKEN)),
                db.dataSource())) {
            JavalinTest.test(server.app(), (srv, client) -> {
                for (String path : new String[] {"/console", "/console/"}) {
                    Response page = client.get(path);
                    assertThat(page.code()).as(path).isEqualTo(200);
                    assertThat(page.headers().get("Content-Type").get(0)).startsWith("text/html");
                    assertThat(page.headers().get("Content-Security-Policy").get(0))
                            .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                            .doesNotContain("unsafe");
                    assertThat(page.body().string()).contains("src=\"/console/console.js\"")
                            .doesNotContain("{{prefix}}");
                }
                for (String file : ConsoleRoutes.FILES.keySet()) {
                    Response r = client.get("/console/" + file);
                    assertThat(r.code()).as(file).isEqualTo(200);
                    assertThat(r.headers().get("Content-Type").get(0).replace(" ", ""))
                            .isEqualTo(ConsoleRoutes.FILES.get(file).replace(" ", ""));
                    assertThat(r.headers().get("X-Content-Type-Options").get(0)).isEqualTo("nosniff");
                }
                // nothing fetched from elsewhere: no address but SVG's namespace name, which is never fetched
                for (String file : ConsoleRoutes.FILES.keySet()) {
                    assertThat(client.get("/console/" + file).body().string()
                            .replace("http://www.w3.org/2000/svg", "")).as(file)
                            .doesNotContain("http://", "https://", "//cdn");
                }
                assertProblem(client.get("/console/secrets.txt"), 404, null);
                assertProblem(client.get("/console/..%2Fapplication.conf"), 404, null);
                assertProblem(client.get("/console/ConsoleRoutes.class"), 404, null);
            });
        }
    }

    @Test
    void theSessionCheckNeverAnswers401AndTheOverviewIsGuardedLikeTheApi() throws Exception {
        try (FreeSwitchStandIn fs = new FreeSwitchStandIn(db);
             FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(ServerFixture.settings(db,
                     Map.of("OMINIS_FREESWITCH_NODES", "fs1=" + fs.url())).freeSwitch());
             OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of("OMINIS_API_TOKEN", TOKEN,
                     "OMINIS_FREESWITCH_NODES", "fs1=" + fs.url())), db.dataSource(), nodes)) {
            JavalinTest.test(server.app(), (srv, client) -> {
                JsonNode anonymous = JSON.readTree(client.get("/console/session").body().string());
                assertThat(anonymous.path("token_required").asBoolean()).isTrue();
                assertThat(anonymous.path("authenticated").asBoolean()).isFalse();
                Response wrong = client.request("/console/session", b -> b.header("Authorization", "Bearer nope"));
                assertThat(wrong.code()).isEqualTo(200);
                assertThat(JSON.readTree(wrong.body().string()).path("authenticated").asBoolean()).isFalse();
                JsonNode right = JSON.readTree(client.request("/console/session",
                        b -> b.header("Authorization", "Bearer " + TOKEN)).body().string());
                assertThat(right.path("authenticated").asBoolean()).isTrue();

                assertProblem(client.get("/v1/admin/overview"), 401, null);
                Response overview = client.request("/v1/admin/overview",
                        b -> b.header("Authorization", "Bearer " + TOKEN));
                assertThat(overview.code()).isEqualTo(200);
                JsonNode o = JSON.readTree(overview.body().string());
                assertThat(o.path("database").path("up").asBoolean()).isTrue();
                assertThat(o.path("database").path("connections").asLong()).isPositive();
                assertThat(o.path("migrations").path("current").asBoolean()).isTrue();
                assertThat(o.path("migrations").path("pending").asInt()).isZero();
                assertThat(o.path("migrations").path("latest_applied").asText()).matches("\\d+");
                assertThat(o.path("freeswitch").get(0).path("node").asText()).isEqualTo("fs1");
                assertThat(o.path("freeswitch").toString()).doesNotContain("works"); // the node's password
                assertThat(o.path("directory_cache").has("hits")).isTrue();
                assertThat(o.path("change_listener").asText()).isIn("UP", "DOWN", "off");
            });
        }
    }

    @Test
    void aPrefixThatIsNotAPlainPathIsRefused() {
        JsonBodies bodies = new JsonBodies(new ObjectMapper());
        assertThatThrownBy(() -> new ConsoleRoutes(new ApiAuth(null), bodies, "/a\"><script>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain path");
        assertThat(new ConsoleRoutes(new ApiAuth(null), bodies, "/ominis/v2")).isNotNull();
    }
}

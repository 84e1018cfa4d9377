package io.ominis.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.javalin.testtools.JavalinTest;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every route the server serves is in /openapi.json, and every documented route is served. */
class OpenApiTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void documentsExactlyTheRegisteredRoutes() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            Set<String> served = new TreeSet<>();
            server.app().unsafe.internalRouter.allHttpHandlers().forEach(e -> {
                HandlerType m = e.endpoint.method;
                if (m != HandlerType.HEAD && m != HandlerType.OPTIONS && m.isHttpMethod()) {
                    served.add(m.name() + " " + e.endpoint.path);
                }
            });
            JavalinTest.test(server.app(), (srv, client) -> {
                var r = client.get("/openapi.json");
                assertThat(r.code()).isEqualTo(200);
                JsonNode doc = new ObjectMapper().readTree(r.body().string());
                assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
                Set<String> documented = new TreeSet<>();
                for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
                    path.getValue().fieldNames().forEachRemaining(
                            method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
                }
                assertThat(documented).isEqualTo(served);
                assertThat(served).contains("POST /v1/freeswitch/directory", "GET /v1/extensions",
                        "PATCH /v1/extensions/{number}", "GET /openapi.json", "GET /health/ready");

                // request and response bodies are described, with snake_case names and no password in views
                JsonNode schemas = doc.get("components").get("schemas");
                assertThat(schemas.get("ExtensionInput").get("properties").has("display_name")).isTrue();
                assertThat(schemas.get("ExtensionInput").get("properties").has("password")).isTrue();
                assertThat(schemas.get("ExtensionView").get("properties").has("password")).isFalse();
                JsonNode post = doc.get("paths").get("/v1/extensions").get("post");
                assertThat(post.get("requestBody").get("content").has("application/json")).isTrue();
                assertThat(post.get("responses").has("201")).isTrue();
                assertThat(post.get("responses").has("409")).isTrue();
                assertThat(post.get("responses").get("400").get("content").has("application/problem+json")).isTrue();
                // every listing documents its paging parameters and the fields that carry the next cursor and total
                for (String listing : List.of("/v1/extensions", "/v1/ivrs", "/v1/channels", "/v1/calls",
                        "/v1/registrations", "/v1/callcenter/agents", "/v1/callcenter/tiers",
                        "/v1/callcenter/members")) {
                    JsonNode get = doc.get("paths").get(listing).get("get");
                    assertThat(get.get("parameters").findValuesAsText("name")).as(listing)
                            .contains("limit", "cursor", "total");
                    String page = get.get("responses").get("200").findValue("$ref").asText()
                            .replace("#/components/schemas/", "");
                    assertThat(schemas.get(page).get("properties").has("next_cursor")).as(page).isTrue();
                    assertThat(schemas.get(page).get("properties").has("total")).as(page).isTrue();
                }
                // the CSV bodies: the import's request and the listing's alternative answer, with their columns
                JsonNode importCsv = doc.get("paths").get("/v1/extensions/import").get("post");
                assertThat(importCsv.get("requestBody").get("content").get("text/csv").get("schema")
                        .get("description").asText()).contains("number,password,display_name");
                assertThat(importCsv.get("responses").has("413")).isTrue();
                assertThat(importCsv.get("responses").has("415")).isTrue();
                JsonNode listed = doc.get("paths").get("/v1/extensions").get("get").get("responses").get("200")
                        .get("content");
                assertThat(listed.has("application/json")).isTrue();
                assertThat(listed.get("text/csv").get("schema").get("description").asText())
                        .contains("number,display_name").doesNotContain("number,password");
                // every $ref resolves
                doc.findValues("$ref").forEach(ref -> assertThat(schemas.has(
                        ref.asText().replace("#/components/schemas/", ""))).as(ref.asText()).isTrue());
            });
        }
    }
}

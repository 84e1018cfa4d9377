package io.ominis.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route the server serves is in /openapi.json, and every documented route is served; the document is valid
 * OpenAPI 3.1, says what can be null, what is required and which values a field takes; /docs shows it. That each
 * answer matches the document is checked in every HTTP test ({@link ContractCheck}).
 */
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
            ContractCheck.test(server.app(), (srv, client) -> {
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

    @Test
    void isValidOpenApiForARealParser() throws Exception {
        JsonNode doc = document();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        assertThat(result.isOpenapi31()).isTrue();
        // the build's version (from build.properties, which the shaded jar keeps; its manifest is dropped)
        assertThat(doc.path("info").path("version").asText()).isEqualTo(
                io.ominis.api.metrics.ServerMetrics.buildVersion()).isNotEqualTo("development");
    }

    @Test
    void saysWhatCanBeNullWhatIsRequiredAndWhichValuesAreAllowed() throws Exception {
        JsonNode doc = document();
        JsonNode schemas = doc.get("components").get("schemas");
        // nullability and required lists, from the records
        JsonNode view = schemas.get("ExtensionView");
        assertThat(view.get("properties").get("email").get("type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(view.get("properties").get("number").get("type").asText()).isEqualTo("string");
        assertThat(texts(view.get("required"))).contains("number", "email", "created_at");
        JsonNode input = schemas.get("ExtensionInput");
        assertThat(texts(input.get("required"))).containsExactly("number");
        assertThat(schemas.get("ExtensionInputPatch").has("required")).isFalse();
        // enums on inputs and outputs, from core's enums
        assertThat(texts(input.get("properties").get("status").get("enum")))
                .contains("active", "inactive", "suspended");
        assertThat(texts(schemas.get("AgentInput").get("properties").get("status").get("enum")))
                .contains("Logged Out", "Available", "On Break", null);
        assertThat(texts(schemas.get("PromptResult").get("properties").get("outcome").get("enum")))
                .containsExactly("CACHED", "SYNTHESIZED", "FAILED");
        JsonNode agentsQuery = doc.get("paths").get("/v1/callcenter/agents").get("get").get("parameters");
        assertThat(texts(agentsQuery.get(0).get("schema").get("enum"))).contains("On Break");
        // the bulk POST answers an array to an array; a write the switch has not shown yet answers 202
        JsonNode created = doc.get("paths").get("/v1/extensions").get("post").get("responses").get("201")
                .get("content").get("application/json").get("schema");
        assertThat(created.get("oneOf").get(1).get("type").asText()).isEqualTo("array");
        assertThat(doc.get("paths").get("/v1/callcenter/agents").get("post").get("responses").has("202")).isTrue();
        // who may call what
        assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").asText())
                .isEqualTo("bearer");
        assertThat(doc.get("components").get("securitySchemes").get("bearer").get("description").asText())
                .contains("loopback");
        assertThat(doc.get("paths").get("/v1/extensions").get("get").get("security").get(0).has("bearer")).isTrue();
        assertThat(doc.get("paths").get("/health/live").get("get").get("security")).isEmpty();
        assertThat(doc.get("servers").get(0).get("url").asText()).isEqualTo("/");
        // no record is left to "unspecified" nullness by accident: the API's own records are null-marked
        for (Operation op : operations()) {
            for (Class<?> type : java.util.Arrays.asList(op.request(), op.response())) {
                if (type != null && type.getName().startsWith("io.ominis.server.")) {
                    assertThat(OpenApi.nullMarked(type)).as(type.getName() + " is @NullMarked").isTrue();
                }
            }
        }
    }

    @Test
    void theCheckEveryTestRunsCatchesAnAnswerThatDiffersFromTheDocument() throws Exception {
        JsonNode doc = document();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:1/v1/extensions/1001");
        String good = "{\"number\":\"1001\",\"display_name\":null,\"email\":null,\"department\":null,"
                + "\"status\":\"active\",\"call_forwarding_json\":null,\"voicemail_json\":null,"
                + "\"features_json\":null,\"created_at\":\"2026-12-06T04:00:00Z\","
                + "\"updated_at\":\"2026-12-06T04:00:00Z\"}";
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "application/json", bytes(good))).isEmpty();
        // a null where the document says never null
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "application/json",
                bytes(good.replace("\"number\":\"1001\"", "\"number\":null")))).isNotEmpty();
        // a field the document does not know, and one it requires left out
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "application/json",
                bytes(good.replace("{", "{\"extra\":1,")))).isNotEmpty();
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "application/json",
                bytes(good.replace("\"email\":null,", "")))).isNotEmpty();
        // a value outside the enum
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "application/json",
                bytes(good.replace("active", "asleep")))).isNotEmpty();
        // an undocumented status, an undocumented content type, a body where none is documented
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 418, "application/json", bytes(good))).isNotEmpty();
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 200, "text/plain", bytes(good))).isNotEmpty();
        assertThat(ContractCheck.mismatches(doc, "DELETE", uri, 204, "application/json", bytes(good))).isNotEmpty();
        // a problem without its required members
        assertThat(ContractCheck.mismatches(doc, "GET", uri, 404, "application/problem+json",
                bytes("{\"title\":\"Not found\"}"))).isNotEmpty();
    }

    @Test
    void docsPageLoadsSwaggerUiFromThisServerAndPointsAtTheDocument() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                var page = client.get("/docs");
                assertThat(page.code()).isEqualTo(200);
                assertThat(page.headers().get("Content-Type").get(0)).startsWith("text/html");
                String html = page.body().string();
                assertThat(html).contains("url: \"/openapi.json\"");
                java.util.regex.Matcher assets = java.util.regex.Pattern.compile("(?:src|href)=\"([^\"]+)\"")
                        .matcher(html);
                List<String> urls = new java.util.ArrayList<>();
                while (assets.find()) {
                    urls.add(assets.group(1));
                }
                assertThat(urls).hasSize(4).allMatch(u -> u.startsWith("/docs/"), "served here, no CDN");
                for (String url : urls) {
                    var r = client.get(url);
                    assertThat(r.code()).as(url).isEqualTo(200);
                    assertThat(r.body().string().length()).as(url).isGreaterThan(100);
                }
                assertThat(client.get("/docs/swagger-ui-bundle.js").body().string()).contains("SwaggerUIBundle");
                // nothing else of the jar is reachable
                assertThat(client.get("/docs/index.html").code()).isEqualTo(404);
                assertThat(client.get("/docs/../META-INF/MANIFEST.MF").code()).isEqualTo(404);
            });
        }
        // open like /openapi.json: a token set does not close it
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db,
                Map.of("OMINIS_API_TOKEN", "a-token-of-twenty-characters")), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                assertThat(client.get("/docs").code()).isEqualTo(200);
                assertThat(client.get("/openapi.json").code()).isEqualTo(200);
            });
        }
    }

    private static JsonNode document() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            JsonNode[] doc = new JsonNode[1];
            ContractCheck.test(server.app(), (srv, client) ->
                    doc[0] = new ObjectMapper().readTree(client.get("/openapi.json").body().string()));
            return doc[0];
        }
    }

    private static List<Operation> operations() throws Exception {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            return server.operations();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }
}

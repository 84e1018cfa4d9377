package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.ominis.api.ContractCheck;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** JSON calls to the management API in tests, and the checks every write route shares. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String authorization;

    ApiClient(HttpClient client) {
        this(client, null);
    }

    ApiClient(HttpClient client, String authorization) {
        this.client = client;
        this.authorization = authorization;
    }

    /** An answer: status, body as JSON (null when empty or not JSON), and three headers. */
    record Reply(int code, JsonNode json, String text, String contentType, String location, String etag) {

        /** The {@code field} of a problem answer. */
        String field() {
            return json == null ? null : json.path("field").asText(null);
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    /** Runs {@code test} against a server on {@code db} built with {@code env} and {@code switchControl}. */
    static void serve(OminisDatabase db, Map<String, String> env, SwitchControl switchControl,
            Consumer<ApiClient> test) {
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, env), db.dataSource(),
                switchControl)) {
            ContractCheck.test(server.app(), (srv, client) -> test.accept(new ApiClient(client)));
        }
    }

    /**
     * Asserts that with {@code OMINIS_API_TOKEN} set, {@code method path} needs the token: 401 without it or with a
     * wrong one, and {@code state} unchanged.
     */
    static void assertNeedsToken(OminisDatabase db, String method, String path, String body, Supplier<String> state) {
        String token = "a-token-of-twenty-characters";
        try (OminisServer server = OminisServer.create(
                ServerFixture.settings(db, Map.of("OMINIS_API_TOKEN", token)), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                String before = state.get();
                String type = body == null ? null : "application/json";
                assertProblem(new ApiClient(client).send(method, path, body, type), 401, null);
                assertProblem(new ApiClient(client, "Bearer wrong-token-wrong-token").send(method, path, body, type),
                        401, null);
                assertThat(state.get()).isEqualTo(before);
                assertThat(new ApiClient(client, "Bearer " + token).send(method, path, body, type).code())
                        .isLessThan(300);
            });
        }
    }

    /** Single quotes to double quotes, so that tests can write JSON inline. */
    static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    Reply put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    Reply patch(String path, String json) {
        return send("PATCH", path, json, "application/merge-patch+json");
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    Reply send(String method, String path, String body, String contentType) {
        return send(method, path, body, contentType, Map.of());
    }

    /** PATCH with an {@code If-Match} header. */
    Reply patchIfMatch(String path, String json, String etag) {
        return send("PATCH", path, json, "application/merge-patch+json", Map.of("If-Match", etag));
    }

    Reply send(String method, String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        Response r = client.request(path, b -> {
            switch (method) {
                case "GET" -> b.get();
                case "POST" -> b.post(publisher);
                case "PUT" -> b.put(publisher);
                case "PATCH" -> b.patch(publisher);
                case "DELETE" -> b.delete(publisher);
                default -> throw new IllegalArgumentException(method);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            headers.forEach(b::header);
        });
        String text = r.body().string();
        JsonNode json = null;
        try {
            json = text.isEmpty() ? null : JSON.readTree(text);
        } catch (Exception e) {
            // not JSON; the text is kept
        }
        List<String> type = r.headers().get("Content-Type");
        List<String> location = r.headers().get("Location");
        List<String> etag = r.headers().get("ETag");
        return new Reply(r.code(), json, text, type == null || type.isEmpty() ? null : type.get(0),
                location == null || location.isEmpty() ? null : location.get(0),
                etag == null || etag.isEmpty() ? null : etag.get(0));
    }

    /** Asserts a problem answer with {@code status} naming {@code field}. */
    static void assertProblem(Reply r, int status, String field) {
        assertThat(r.code()).as("status of %s", r).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.field()).as("field of %s", r).isEqualTo(field);
    }

    /**
     * Sends {@code method path} malformed bodies of every kind — unknown field, wrong type, broken JSON, not JSON,
     * no body, wrong content type, over 1 MiB — and asserts each is refused as it should be and leaves
     * {@code state} unchanged.
     *
     * @param valid      a body the route accepts, as one JSON object, to which an unknown field is added
     * @param stringField a field of the body that must be a string
     */
    void assertRejectsBadBodies(String method, String path, String valid, String stringField,
            Supplier<String> state) {
        String before = state.get();
        String unknown = valid.substring(0, valid.lastIndexOf('}')) + ", \"surprise\": 1}";
        assertProblem(send(method, path, unknown, "application/json"), 400, "surprise");
        assertProblem(send(method, path, "{\"" + stringField + "\": 42}", "application/json"), 400, stringField);
        assertProblem(send(method, path, "{\"" + stringField + "\": ", "application/json"), 400, "body");
        assertProblem(send(method, path, "[1, 2]", "application/json"), 400, "body");
        assertProblem(send(method, path, "", "application/json"), 400, "body");
        assertProblem(send(method, path, valid, "text/plain"), 415, null);
        try {
            int port = java.net.URI.create(client.getOrigin()).getPort();
            assertThat(io.ominis.api.ApiCalls.announceLargeBody(port, method, path, 1024 * 1024 + 100)).isEqualTo(413);
        } catch (java.io.IOException e) {
            throw new AssertionError("no answer to an oversized body", e);
        }
        assertThat(state.get()).as("database after rejected %s %s", method, path).isEqualTo(before);
    }
}

package io.ominis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;

/** JSON requests and problem+json assertions shared by the HTTP tests. */
public final class ApiCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiCalls() {
    }

    /** Sends {@code json} with {@code method} (POST, PUT, PATCH) as {@code application/json}. */
    public static Response send(HttpClient client, String method, String path, String json) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(json);
        return client.request(path, b -> {
            switch (method) {
                case "POST" -> b.post(body);
                case "PUT" -> b.put(body);
                case "PATCH" -> b.patch(body);
                case "DELETE" -> b.delete(body);
                default -> throw new IllegalArgumentException(method);
            }
            b.header("Content-Type", "application/json");
        });
    }

    /** Asserts an RFC 9457 problem with this status (and field, unless null), and no stack trace in it. */
    public static JsonNode assertProblem(Response r, int status, String field) throws Exception {
        assertThat(r.code()).as("status of %s", r.body().string()).isEqualTo(status);
        assertThat(r.headers().get("Content-Type").get(0)).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(r.body().string());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(r.body().string()).doesNotContain("Exception").doesNotContain("\tat ");
        if (field != null) {
            assertThat(problem.get("field").asText()).isEqualTo(field);
        }
        return problem;
    }
}

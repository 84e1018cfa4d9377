package io.ominis.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the management-API tests share: raw SQL as FreeSWITCH writes it, and GETs read as JSON. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    /** Runs each statement on its own, exactly as given (FreeSWITCH quotes every value, numbers included). */
    static void sql(OminisDatabase db, String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /** GET {@code path}, asserting status 200, as JSON. */
    static JsonNode ok(HttpClient client, String path) {
        return json(client, path, 200);
    }

    /** GET {@code path}, asserting {@code status}, as JSON. */
    static JsonNode json(HttpClient client, String path, int status) {
        Response response = client.get(path);
        String body = response.body().string();
        try {
            assertThat(response.code()).as(path + " -> " + body).isEqualTo(status);
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** GET {@code path}, asserting a 400 problem that names {@code field}. */
    static void badParameter(HttpClient client, String path, String field) {
        JsonNode problem = json(client, path, 400);
        assertThat(problem.path("field").asText()).as(path + " -> " + problem).isEqualTo(field);
    }

    /** GET {@code path}, asserting a 404 problem. */
    static void notFound(HttpClient client, String path) {
        assertThat(json(client, path, 404).path("status").asInt()).isEqualTo(404);
    }

    /** The text of {@code field} in each element of {@code items}. */
    static List<String> texts(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.path(field).isNull() ? null : n.path(field).asText()));
        return out;
    }
}

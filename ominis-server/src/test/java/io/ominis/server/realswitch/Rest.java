package io.ominis.server.realswitch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON calls to a running Ominis server over real HTTP, as an operator's script would make them. */
final class Rest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = io.ominis.api.ContractCheck.client(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());

    private final OminisUnderTest ominis;

    Rest(OminisUnderTest ominis) {
        this.ominis = ominis;
    }

    /** Status and body (JSON, or null when empty). */
    record Reply(int code, JsonNode json, String text) {
        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, String json) {
        return send("POST", path, json);
    }

    Reply patch(String path, String json) {
        return send("PATCH", path, json);
    }

    Reply put(String path, String json) {
        return send("PUT", path, json);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ominis.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            JsonNode node = null;
            if (!body.isBlank() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
                node = JSON.readTree(body);
            }
            return new Reply(r.statusCode(), node, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

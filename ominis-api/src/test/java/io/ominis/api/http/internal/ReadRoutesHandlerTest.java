package io.ominis.api.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.ominis.api.http.Problem;
import io.ominis.api.http.ProblemMapping;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.api.rest.ApiAuth;
import io.ominis.api.rest.JsonBodies;
import io.ominis.core.NotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which requests {@link ReadRoutesHandler} answers itself and which it passes on to Javalin: only GETs of a registered
 * path whose parameter decodes to itself, without a {@code Content-Type}. (That its answers equal Javalin's is
 * {@code LiveStateAheadTest}'s part.)
 */
class ReadRoutesHandlerTest {

    /** The status the next handler answers with, so that a passed-on request shows. */
    private static final int PASSED_ON = 299;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Server jetty;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        JsonBodies bodies = new JsonBodies(JsonBodies.apiMapper());
        Problem problem = new Problem(JsonBodies.apiMapper());
        ReadRoutesHandler reads = new ReadRoutesHandler(new ApiAuth(null), new ProblemMapping(problem), problem,
                bodies, new ServerMetrics(), new CompressionStrategy(null, new Gzip(1)));
        reads.add("/v1/things", params -> Map.of("q", String.valueOf(params.queryParam("q"))));
        reads.add("/v1/things/count", params -> Map.of("count", 3));
        reads.add("/v1/things/{id}", params -> {
            if (params.pathParam("id").equals("missing")) {
                throw new NotFoundException("thing", "missing");
            }
            return Map.of("id", params.pathParam("id"));
        });
        reads.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(PASSED_ON);
                response.write(true, ByteBuffer.wrap("passed on".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(reads);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void answersGetsOfRegisteredPaths() throws Exception {
        assertThat(get("/v1/things?q=a+b%21&q=second")).isEqualTo("200 {\"q\":\"a b!\"}");
        assertThat(get("/v1/things")).isEqualTo("200 {\"q\":\"null\"}");
        assertThat(get("/v1/things/count")).isEqualTo("200 {\"count\":3}");
        assertThat(get("/v1/things/4f1c-9a_b.c~d@example.com")).isEqualTo("200 {\"id\":\"4f1c-9a_b.c~d@example.com\"}");
        assertThat(get("/v1/things/missing")).startsWith("404 {\"type\":\"about:blank\",\"title\":\"Not found\"");
    }

    @Test
    void passesOnWhatJavalinMightAnswerOtherwise() throws Exception {
        for (String path : new String[] {"/v1/things/", "/v1/things/a%20b", "/v1/things/a+b", "/v1/things/%61",
                "/V1/things", "/v1/things/x/y", "/v1/things;x=1", "/v1/other", "/v1/thing", "/"}) {
            assertThat(get(path)).as(path).isEqualTo(PASSED_ON + " passed on");
        }
        assertThat(send(request("/v1/things").method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(PASSED_ON);
        assertThat(send(request("/v1/things").POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode())
                .isEqualTo(PASSED_ON);
        assertThat(send(request("/v1/things").header("Content-Type", "text/plain; charset=ISO-8859-1")).statusCode())
                .isEqualTo(PASSED_ON);
    }

    @Test
    void refusesRoutesItCouldNotMatchAsJavalinDoes() {
        ReadRoutesHandler reads = new ReadRoutesHandler(new ApiAuth(null), null, null, null, null, null);
        reads.add("/v1/things/{id}", params -> null);
        // Javalin would match /v1/things/{id} first, so a fixed path after it would be answered differently here
        assertThatThrownBy(() -> reads.add("/v1/things/count", params -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/v1/things/{id}");
        assertThatThrownBy(() -> reads.add("/v1/{kind}/count", params -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = send(request(path));
        return response.statusCode() + " " + response.body();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

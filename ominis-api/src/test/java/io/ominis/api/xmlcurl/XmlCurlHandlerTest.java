package io.ominis.api.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.ominis.api.ApiCalls;
import io.ominis.api.OminisApi;
import io.ominis.api.OminisServer;
import io.ominis.api.OminisServices;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.SwitchControl;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server answers mod_xml_curl in Jetty ({@link XmlCurlHandler}), an app mounting Ominis through its Javalin routes
 * ({@link XmlCurlRoutes}): both must give FreeSWITCH exactly the same answers, byte for byte, for every kind of request.
 */
class XmlCurlHandlerTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Map<String, String> GATEWAY = Map.of("OMINIS_XMLCURL_USER", "freeswitch",
            "OMINIS_XMLCURL_PASSWORD", "s3cret:pass");
    private static final String FORM = "application/x-www-form-urlencoded";

    private static OminisServer server;
    private static OminisServices mounted;
    private static Javalin app;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password, display_name, status) "
                    + "VALUES ('1001', 'Winnipeg2025', 'John Doe', 'active')");
        }
        server = OminisServer.create(ServerFixture.settings(db, with(GATEWAY, "OMINIS_BIND", "127.0.0.1",
                "PORT", "0")), db.dataSource()).start();
        mounted = OminisServices.create(ServerFixture.settings(db, GATEWAY), db.dataSource(), SwitchControl.NONE);
        app = Javalin.create(config -> OminisApi.install(config, mounted, "",
                EnumSet.of(OminisApi.Group.FREESWITCH, OminisApi.Group.OPERATIONS))).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        app.stop();
        mounted.close();
    }

    @Test
    void answersEveryKindOfRequestExactlyAsTheJavalinRoutes() throws Exception {
        String user = ApiCalls.sipAuth("1001", "10.42.0.7");
        String authorized = basic("freeswitch", "s3cret:pass");
        List<Function<String, HttpRequest.Builder>> requests = List.of(
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", authorized)
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(user)),
                base -> at(base, "/v1/freeswitch/directory?" + user).header("Authorization", authorized).GET(),
                // a body of unknown length, as a chunked POST (not what FreeSWITCH sends, but a client may)
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", authorized)
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(user.getBytes(StandardCharsets.UTF_8)))),
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", authorized)
                        .header("Content-Type", FORM + "; charset=no-such-charset")
                        .POST(HttpRequest.BodyPublishers.ofString(user)),
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", authorized)
                        .header("Content-Type", FORM + "; charset=ISO-8859-1")
                        .POST(HttpRequest.BodyPublishers.ofString(ApiCalls.sipAuth("1001", "d\u00e9j\u00e0"),
                                StandardCharsets.ISO_8859_1)),
                base -> at(base, "/v1/freeswitch/directory").header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString(user)),
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", basic("freeswitch", "nope"))
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(user)),
                base -> at(base, "/v1/freeswitch/configuration").header("Authorization", authorized)
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(
                                XmlCurlEndpointsTest.ACL_CONF)),
                base -> at(base, "/v1/freeswitch/acl").header("Authorization", authorized)
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString("")),
                base -> at(base, "/v1/freeswitch/directory").header("Authorization", authorized)
                        .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString("section=%zz&&=")));
        for (int i = 0; i < requests.size(); i++) {
            HttpResponse<byte[]> fast = send(server.port(), requests.get(i));
            HttpResponse<byte[]> routed = send(app.port(), requests.get(i));
            assertThat(fast.statusCode()).as("request %d", i).isEqualTo(routed.statusCode());
            assertThat(fast.headers().firstValue("Content-Type")).as("request %d", i)
                    .isEqualTo(routed.headers().firstValue("Content-Type"));
            assertThat(fast.headers().firstValue("WWW-Authenticate")).as("request %d", i)
                    .isEqualTo(routed.headers().firstValue("WWW-Authenticate"));
            assertThat(new String(fast.body(), StandardCharsets.UTF_8)).as("request %d", i)
                    .isEqualTo(new String(routed.body(), StandardCharsets.UTF_8));
        }
        assertThat(new String(send(server.port(), requests.get(0)).body(), StandardCharsets.UTF_8))
                .contains("<user id=\"1001\"").contains("Winnipeg2025");
        assertThat(send(server.port(), requests.get(5)).statusCode()).isEqualTo(401);
        assertThat(new String(send(server.port(), requests.get(5)).body(), StandardCharsets.UTF_8))
                .doesNotContain("Winnipeg2025");
    }

    @Test
    void countsItsRequestsUnderTheRouteJavalinWouldName() throws Exception {
        String user = ApiCalls.sipAuth("1001", "10.42.0.7");
        String before = metrics();
        for (int i = 0; i < 3; i++) {
            send(server.port(), base -> at(base, "/v1/freeswitch/directory")
                    .header("Authorization", basic("freeswitch", "s3cret:pass"))
                    .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(user)));
        }
        String series = "ominis_http_server_requests_seconds_count{method=\"POST\",route=\"/v1/freeswitch/directory\","
                + "status=\"200\"}";
        assertThat(count(metrics(), series) - count(before, series)).isEqualTo(3);
    }

    @Test
    void servesConcurrentLookupsAlike() throws Exception {
        String authorized = basic("freeswitch", "s3cret:pass");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<byte[]>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String number = i % 2 == 0 ? "1001" : "9" + i;
                answers.add(pool.submit(() -> send(server.port(), base -> at(base, "/v1/freeswitch/directory")
                        .header("Authorization", authorized).header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString(ApiCalls.sipAuth(number, "10.42.0.7"))))));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<byte[]> answer = answers.get(i).get();
                assertThat(answer.statusCode()).isEqualTo(200);
                String xml = new String(answer.body(), StandardCharsets.UTF_8);
                if (i % 2 == 0) {
                    assertThat(xml).contains("<user id=\"1001\"");
                } else {
                    assertThat(xml).contains("status=\"not found\"");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void answersAFormWhoseBodyArrivesAfterItsHeaders() throws Exception {
        assertThat(postWithTheBodyLate(server.port())).startsWith("HTTP/1.1 200").contains("<user id=\"1001\"")
                .contains("Winnipeg2025");
    }

    /**
     * An embedder may mount the handler in a Jetty of its own, with no read-ahead in front: a body not all here when
     * the request is handled is read to its end on a worker, not on the thread that called the handler.
     */
    @Test
    void withoutAReadAheadInFrontABodyStillArrivingIsWaitedForOnAWorker() throws Exception {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(new XmlCurlHandler(mounted.xmlCurl(), mounted.xmlCurlAccess(), mounted.metrics(), ""));
        jetty.start();
        try {
            assertThat(postWithTheBodyLate(connector.getLocalPort())).startsWith("HTTP/1.1 200")
                    .contains("<user id=\"1001\"").contains("Winnipeg2025");
        } finally {
            jetty.stop();
        }
    }

    /** A directory POST for 1001 whose first 10 bytes of body come with the headers and the rest 300 ms later. */
    private static String postWithTheBodyLate(int port) throws Exception {
        byte[] form = ApiCalls.sipAuth("1001", "10.42.0.7").getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/freeswitch/directory HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + basic("freeswitch", "s3cret:pass") + "\r\nContent-Type: " + FORM + "\r\nContent-Length: "
                    + form.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(form, 0, 10);
            out.flush();
            Thread.sleep(300);
            out.write(form, 10, form.length - 10);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String metrics() throws Exception {
        return new String(send(server.port(), base -> at(base, "/metrics").GET()).body(), StandardCharsets.UTF_8);
    }

    private static long count(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(series.length() + 1).trim())).sum();
    }

    /** A request for {@code path} at {@code base} ({@code http://127.0.0.1:port}), bounded in time. */
    private static HttpRequest.Builder at(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<byte[]> send(int port, Function<String, HttpRequest.Builder> request)
            throws Exception {
        return HTTP.send(request.apply("http://127.0.0.1:" + port).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }
}

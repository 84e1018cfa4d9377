package io.ominis.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.ominis.api.ContractCheck;
import io.ominis.api.LogCapture;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends a corpus of hostile input to EVERY write route the server registers (found from its own route list, so a new
 * route is covered without editing this test): each gets a 4xx, the server keeps serving, and no table changes.
 *
 * <p>Free text that is merely unusual (a description reading {@code '; DROP TABLE x; --}) is legitimate data and is
 * stored verbatim by bound parameters; it is covered by the DAO and renderer tests. Here every value is hostile in a
 * way that must be refused: bytes that are not UTF-8, NUL and other control characters, lone surrogates, 10 MB
 * strings, nesting 10,000 deep, SQL, XML and {@code $${}} fragments in identifier positions and path parameters.
 */
class HostileInputTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final List<String> IDENTIFIER_FIELDS = List.of("number", "name", "menu_id", "digit", "list_name",
            "cidr", "queue", "agent", "status", "type", "permission", "action_type", "state");

    private static final List<String> HOSTILE_VALUES = List.of(
            "1001'; DROP TABLE extensions; --",
            "' OR '1'='1",
            "\"><X-PRE-PROCESS cmd=\"exec\" data=\"rm -rf /\"/>",
            "$${hostname}",
            "${system(id)}",
            "x\u0000y",
            "\u0007bell",
            "a\nb",
            "\ud800",
            "../../etc/passwd");

    @Test
    void everyWriteRouteRefusesHostileInputAndNothingChanges() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'keep-me') ON CONFLICT DO NOTHING");
        }
        String before = snapshot();
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            List<Operation> writes = server.operations().stream()
                    .filter(o -> o.method() == HandlerType.POST || o.method() == HandlerType.PUT
                            || o.method() == HandlerType.PATCH || o.method() == HandlerType.DELETE)
                    .filter(o -> !o.path().startsWith("/v1/freeswitch/"))
                    .toList();
            assertThat(writes).extracting(Operation::path).contains("/v1/extensions", "/v1/extensions/{number}");
            ContractCheck.test(server.app(), (srv, client) -> {
                record Attempt(Operation op, String path, Body body) {
                }
                List<Attempt> attempts = new ArrayList<>();
                for (Operation op : writes) {
                    List<String> paths = hostilePaths(op.path());
                    for (String path : paths) {
                        boolean ownPath = path.equals(paths.get(0));
                        if (ownPath && op.method() == HandlerType.DELETE && op.path().contains("{")) {
                            continue; // a DELETE of a real row with any body is a legitimate delete
                        }
                        if (ownPath && op.request() == null) {
                            continue; // a route that reads no body (reload, warm) cannot be fed a hostile one
                        }
                        // every hostile body on the route's own path; on hostile paths, one plain body is enough
                        List<Body> bodies = ownPath ? hostileBodies(op)
                                : List.of(new Body("a plain body", "{}".getBytes(StandardCharsets.UTF_8),
                                        "application/json"));
                        bodies.forEach(body -> attempts.add(new Attempt(op, path, body)));
                    }
                }
                inParallel(attempts, a -> {
                    java.net.http.HttpResponse<String> r;
                    try {
                        r = send(srv.port(), a.op().method(), a.path(), a.body());
                    } catch (java.io.IOException e) {
                        throw new AssertionError(a.op().method() + " " + a.path() + " with " + a.body().label
                                + ": no answer", e);
                    }
                    assertThat(r.statusCode()).as("%s %s with %s -> %s", a.op().method(), a.path(), a.body().label,
                            r.body()).isBetween(400, 499);
                    assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception").startsWith("{\"type\"");
                });
                int sent = attempts.size();
                assertThat(sent).isGreaterThan(writes.size() * 10);
                assertThat(client.get("/health/live").code()).isEqualTo(200);
                assertThat(client.get("/v1/extensions/1001").code()).isEqualTo(200);
            });
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * Client mistakes around routing (issue 11, defect 7): made-up methods, a bogus charset on a FreeSWITCH form, a
     * body the client abandons, pre-routing refusals of writes, and a stored key this server cannot decrypt. Each
     * answer is below 500 and problem+json (or FreeSWITCH's not-found document), and nothing is logged at ERROR or
     * with a stack trace.
     */
    @Test
    void clientMistakesAroundRoutingAreNeverServerErrors() throws Exception {
        String secretA = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        String secretB = java.util.Base64.getEncoder().encodeToString(other);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM ivrs");
        }
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of("OMINIS_SECRET_KEY", secretA)),
                db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                var created = client.post("/v1/ivrs", "{\"name\": \"keyed\", \"openai_api_key\": "
                        + "\"sk-test-0123456789abcdefghij\"}");
                assertThat(created.code()).as("%s", created.body().string()).isEqualTo(201);
            });
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ivrs (name, openai_api_key) SELECT 'copied', openai_api_key FROM ivrs "
                    + "WHERE name = 'keyed'");
            st.execute("INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES ('keyed', 'main', 'Hi'), "
                    + "('copied', 'main', 'Hi')");
        }
        try (LogCapture logs = new LogCapture();
                OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of("OMINIS_SECRET_KEY",
                        secretB)), db.dataSource())) {
            assertThat(server.undecryptableKeysReport()).startsWith("2 IVR OpenAI key(s) cannot be decrypted with "
                    + "this OMINIS_SECRET_KEY").contains("copied").contains("keyed");
            ContractCheck.test(server.app(), (srv, client) -> {
                int port = srv.port();
                List<Raw> answers = new ArrayList<>();
                for (String method : List.of("M1", "GET1", "X-Y", "FOO", "PROPFIND")) {
                    for (String path : List.of("/v1/extensions", "/v1/extensions/1001", "/v1/freeswitch/directory",
                            "/health/live", "/nowhere")) {
                        answers.add(raw(port, method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                + "Connection: close\r\n\r\n"));
                    }
                }
                String form = "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=example.com"
                        + "&user=1001";
                for (String charset : List.of("bogus", "\"\"", "utf-99", "x;y")) {
                    Raw fs = raw(port, "POST /v1/freeswitch/directory HTTP/1.1\r\nHost: x\r\nContent-Type: "
                            + "application/x-www-form-urlencoded; charset=" + charset + "\r\nContent-Length: "
                            + form.length() + "\r\nConnection: close\r\n\r\n" + form);
                    assertThat(fs.status).as("charset=%s: %s", charset, fs).isEqualTo(200);
                    assertThat(fs.body).as("charset=%s", charset).contains("<result status=\"not found\"");
                }
                for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
                    for (String path : List.of("/v1/extensions/%00", "/v1/extensions/%zz", "/v1/extensions/a%2F..%2Fb",
                            "/v1/ivrs/x/menus/%2e%2e/options")) {
                        Raw r = raw(port, method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                + "application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                        assertThat(r.status).as("%s %s: %s", method, path, r).isBetween(400, 499);
                        assertThat(r.contentType).as("%s %s: %s", method, path, r)
                                .startsWith("application/problem+json");
                        assertThat(r.body).startsWith("{\"type\"");
                        answers.add(r);
                    }
                }
                for (String method : List.of("PUT", "PATCH", "DELETE")) {
                    for (String badHead : List.of("Content-Length: abc", "Content-Length: 2\r\nContent-Length: 3",
                            "Content-Length: -1", "No colon here", "Content-Length: 2\r\nTransfer-Encoding: bogus")) {
                        Raw r = raw(port, method + " /v1/extensions/1001 HTTP/1.1\r\nHost: x\r\n" + badHead
                                + "\r\nConnection: close\r\n\r\n{}");
                        assertThat(r.status).as("%s with %s: %s", method, badHead, r).isBetween(400, 499);
                        assertThat(r.contentType).as("%s with %s: %s", method, badHead, r)
                                .startsWith("application/problem+json");
                    }
                }
                for (String path : List.of("/v1/extensions", "/v1/freeswitch/directory", "/v1/ivrs")) {
                    abandonBody(port, path);
                }
                for (String ivr : List.of("keyed", "copied")) {
                    Raw warm = raw(port, "POST /v1/ivrs/" + ivr + "/tts/warm HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n");
                    assertThat(warm.status).as("warm %s: %s", ivr, warm).isEqualTo(503);
                    assertThat(warm.body).contains("OMINIS_SECRET_KEY");
                }
                for (Raw r : answers) {
                    assertThat(r.status).as("%s", r).isBetween(400, 499);
                    assertThat(r.body).as("%s", r).doesNotContain("\tat ").doesNotContain("Exception");
                    if (!r.head.startsWith("HEAD")) {
                        assertThat(r.contentType).as("%s", r).startsWith("application/problem+json");
                    }
                }
                Thread.sleep(300); // the abandoned bodies' timeouts and request logs
                String metrics = client.get("/metrics").body().string();
                assertThat(metrics.lines().filter(l -> l.startsWith("ominis_http_server_requests_seconds_count")
                        && l.matches(".*status=\"5\\d\\d\".*")).toList()).as("5xx in /metrics")
                        .allMatch(l -> l.contains("/tts/warm"));
                // method labels come from a closed set: made-up methods are one OTHER series
                assertThat(metrics).contains("method=\"OTHER\"").doesNotContain("method=\"M1\"")
                        .doesNotContain("method=\"FOO\"").doesNotContain("method=\"PROPFIND\"");
                assertThat(client.get("/health/live").code()).isEqualTo(200);
            });
            assertThat(logs.tracesAndErrors()).as("ERROR or stack traces in the log").isEmpty();
        }
    }

    /** Hostile values for query parameters, already percent-encoded where a client would encode them. */
    private static final List<String> HOSTILE_QUERY_VALUES = List.of(
            "1001%27%3B%20DROP%20TABLE%20extensions%3B--", "%27%20OR%20%271%27%3D%271", "%24%24%7Bhostname%7D",
            "%24%7Bsystem(id)%7D", "%00", "%0A", "%ED%A0%80", "%C3%28", "-1", "0", "99999999999999999999", "1e3",
            "NaN", "", "%3Cx%2F%3E", "..%2F..%2Fetc%2Fpasswd", "x".repeat(8_000), "%zz", "%");

    /**
     * Every query parameter of every read route the router documents (found from its own route list, so a new route
     * or parameter is covered without editing this test), and one it does not, given hostile values, twice over and
     * malformed: never a 5xx, every refusal problem+json without a trace, nothing written, nothing logged at ERROR.
     */
    @Test
    void everyQueryParameterOfEveryReadRouteTakesHostileValuesWithoutAServerError() throws Exception {
        String before = snapshot();
        try (LogCapture logs = new LogCapture();
                OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            List<Operation> reads = server.operations().stream()
                    .filter(o -> o.method() == HandlerType.GET && !o.path().startsWith("/v1/freeswitch/"))
                    // the documentation page's static files read no query, and a script's text may say "Exception"
                    .filter(o -> !o.path().startsWith("/docs/"))
                    .toList();
            assertThat(reads).extracting(Operation::path).contains("/v1/extensions", "/v1/cdr", "/v1/channels");
            assertThat(reads.stream().mapToInt(o -> o.query().size()).sum()).isGreaterThan(30);
            ContractCheck.test(server.app(), (srv, client) -> {
                List<String> targets = new ArrayList<>();
                for (Operation op : reads) {
                    String path = op.path().replaceAll("\\{[^}]+}", "1001");
                    List<String> names = new ArrayList<>();
                    op.query().forEach(q -> names.add(q.name()));
                    names.add("undocumented");
                    for (String name : names) {
                        HOSTILE_QUERY_VALUES.forEach(v -> targets.add(path + "?" + name + "=" + v));
                        for (String query : List.of(name + "=%27&" + name + "=1", name + "=1&" + name + "=%00",
                                name + "[]=%24%24%7Bx%7D", name, name + "=" + "%FF".repeat(2_000))) {
                            targets.add(path + "?" + query);
                        }
                    }
                }
                inParallel(targets, target -> {
                    Raw r = raw(srv.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    String what = "GET " + (target.length() > 80 ? target.substring(0, 80) + "…" : target) + " -> "
                            + r.status + " " + abbreviate(r.body);
                    assertThat(r.status).as(what).isBetween(200, 499);
                    assertThat(r.body).as(what).doesNotContain("\tat ").doesNotContain("Exception");
                    if (r.status >= 400) {
                        assertThat(r.contentType).as(what).startsWith("application/problem+json");
                    }
                });
                int sent = targets.size();
                assertThat(sent).isGreaterThan(reads.size() * HOSTILE_QUERY_VALUES.size());
                assertThat(client.get("/health/live").code()).isEqualTo(200);
            });
            assertThat(logs.tracesAndErrors()).as("ERROR or stack traces in the log").isEmpty();
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * Headers a careless or hostile client sends: garbage in {@code If-Match} on every PUT and PATCH route, huge and
     * countless headers, bogus {@code Content-Type}, {@code Accept} and {@code Authorization}. Never a 5xx, refusals
     * problem+json, nothing written, nothing logged at ERROR.
     */
    @Test
    void hostileHeadersAreRefusedAsClientMistakes() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'keep-me') ON CONFLICT DO NOTHING");
            st.execute("INSERT INTO ivrs (name) VALUES ('1001') ON CONFLICT DO NOTHING");
            st.execute("INSERT INTO acl_entries (id, list_name, cidr) VALUES (1001, 'hostile', '192.0.2.0/24') "
                    + "ON CONFLICT DO NOTHING");
        }
        String before = snapshot();
        try (LogCapture logs = new LogCapture();
                OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            List<Operation> conditional = server.operations().stream()
                    .filter(o -> o.method() == HandlerType.PUT || o.method() == HandlerType.PATCH)
                    .filter(o -> o.path().contains("{"))
                    .toList();
            assertThat(conditional).extracting(Operation::path).contains("/v1/extensions/{number}", "/v1/acl/{id}",
                    "/v1/ivrs/{name}");
            ContractCheck.test(server.app(), (srv, client) -> {
                int port = srv.port();
                List<Raw> answers = new ArrayList<>();
                List<String> ifMatch = List.of("garbage", "\"", "W/\"x\"", "\"a\", ", ", , ,",
                        "\"" + "x".repeat(6_000) + "\"", "\"\u0001\"", "\"${system(id)}\"", "**", "\"\"");
                for (Operation op : conditional) {
                    String path = op.path().replaceAll("\\{[^}]+}", "1001");
                    String body = op.path().startsWith("/v1/acl") ? "{\"description\":\"changed\"}"
                            : "{\"display_name\":\"changed\"}";
                    for (String tag : ifMatch) {
                        Raw r = raw(port, op.method().name() + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                + "application/json\r\nIf-Match: " + tag + "\r\nContent-Length: " + body.length()
                                + "\r\nConnection: close\r\n\r\n" + body);
                        assertThat(r.status).as("%s %s If-Match %s: %s", op.method(), path, abbreviate(tag), r)
                                .isBetween(400, 499);
                        answers.add(r);
                    }
                }
                // one header of 64 kB, 2,000 headers, a 64 kB cookie and token: Jetty's header limits answer first
                String big = "x".repeat(64 * 1024);
                StringBuilder many = new StringBuilder();
                for (int i = 0; i < 2_000; i++) {
                    many.append("X-H").append(i).append(": v\r\n");
                }
                for (String head : List.of("X-Big: " + big + "\r\n", many.toString(), "Cookie: a=" + big + "\r\n",
                        "Authorization: Bearer " + big + "\r\n", "If-Match: \"" + big + "\"\r\n")) {
                    for (String target : List.of("GET /v1/extensions", "PATCH /v1/extensions/1001",
                            "POST /v1/freeswitch/directory", "GET /health/live")) {
                        Raw r = raw(port, target + " HTTP/1.1\r\nHost: x\r\n" + head + "Content-Length: 2\r\n"
                                + "Content-Type: application/json\r\nConnection: close\r\n\r\n{}");
                        assertThat(r.status).as("%s with %s", target, abbreviate(head)).isBetween(400, 499);
                        answers.add(r);
                    }
                }
                for (String type : List.of("application/json; charset=bogus", "application/json; charset=\"utf-99\"",
                        "application/json; charset=iso-8859-1", "text/plain",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=", "\u0001", "*/*")) {
                    String body = "{\"number\":\"1099\",\"password\":\"Hostile-pass-1099\"}";
                    Raw r = raw(port, "POST /v1/extensions HTTP/1.1\r\nHost: x\r\nContent-Type: " + type
                            + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
                    assertThat(r.status).as("Content-Type %s: %s", type, r).isBetween(400, 499);
                    answers.add(r);
                }
                for (String head : List.of("Accept: */*;q=abc", "Accept: \u0001", "Accept-Encoding: gzip;q=2, br;q=x",
                        "Authorization: Bearer", "Authorization: Basic %%%", "Authorization: " + "B".repeat(4_000),
                        "Range: bytes=9-1", "Host: " + "h".repeat(2_000))) {
                    Raw r = raw(port, "GET /v1/extensions HTTP/1.1\r\nHost: x\r\n" + head
                            + "\r\nConnection: close\r\n\r\n");
                    assertThat(r.status).as("%s: %s", abbreviate(head), r).isBetween(200, 499);
                    if (r.status >= 400) {
                        answers.add(r);
                    }
                }
                for (Raw r : answers) {
                    assertThat(r.contentType).as("%s", r).startsWith("application/problem+json");
                    assertThat(r.body).as("%s", r).doesNotContain("\tat ").doesNotContain("Exception")
                            .doesNotContain(big);
                }
                assertThat(client.get("/health/live").code()).isEqualTo(200);
            });
            assertThat(logs.tracesAndErrors()).as("ERROR or stack traces in the log").isEmpty();
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + " chars)" : s;
    }

    /** The status line, headers and body of an answer read from a raw socket. */
    private record Raw(String head, int status, String contentType, String body) {
    }

    /** Sends {@code request} as it is (so that methods and paths no HTTP client would send get through). */
    private static Raw raw(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String headers = split < 0 ? answer : answer.substring(0, split);
            String type = headers.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
            int status = answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : 0;
            return new Raw(request.lines().findFirst().orElse(""), status, type,
                    split < 0 ? "" : answer.substring(split + 4));
        }
    }

    /** One request and its checks. */
    @FunctionalInterface
    private interface Check<T> {
        void run(T item) throws Exception;
    }

    /**
     * Runs {@code check} on every item, four at a time: each request waits mostly for its connection's set-up and close
     * and for the threads on both ends to be scheduled, which on a loaded machine took most of this test's time when
     * the thousands of requests went one by one.
     */
    private static <T> void inParallel(List<T> items, Check<T> check) throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (T item : items) {
                done.add(clients.submit(() -> {
                    check.run(item);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Announces a body of 1000 bytes, sends 10 and closes the connection. */
    private static void abandonBody(int port, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    + "\r\nContent-Length: 1000\r\n\r\n{\"number\":").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(100);
        }
    }

    private record Body(String label, byte[] bytes, String contentType) {
    }

    /** The route's own path with existing-looking values, and with hostile ones in each parameter. */
    private static List<String> hostilePaths(String template) {
        List<String> out = new ArrayList<>();
        if (!template.contains("{")) {
            out.add(template);
            return out;
        }
        out.add(template.replaceAll("\\{[^}]+}", "1001"));
        for (String v : List.of("1001%27%3B%20DROP%20TABLE%20extensions%3B--", "%00", "%24%24%7Bhostname%7D",
                "a%0Ab", "%2E%2E%2F%2E%2E")) {
            out.add(template.replaceAll("\\{[^}]+}", v));
        }
        return out;
    }

    private static List<Body> hostileBodies(Operation op) {
        List<Body> out = new ArrayList<>();
        byte[] invalidUtf8 = concat("{\"number\": \"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28,
                (byte) 0xFF}, "\"}".getBytes(StandardCharsets.UTF_8));
        out.add(new Body("invalid UTF-8", invalidUtf8, "application/json"));
        out.add(new Body("10 MB string", ("{\"number\": \"" + "9".repeat(10 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        out.add(new Body("nested 10000 deep", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8),
                "application/json"));
        out.add(new Body("nested objects", ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000))
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        out.add(new Body("XML as JSON", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"
                .getBytes(StandardCharsets.UTF_8), "application/json"));
        out.add(new Body("XML", "<x/>".getBytes(StandardCharsets.UTF_8), "text/xml"));
        out.add(new Body("top-level $${}", "\"$${hostname}\"".getBytes(StandardCharsets.UTF_8), "application/json"));
        out.add(new Body("duplicate keys", "{\"number\": \"1\", \"number\": \"2\"}".getBytes(StandardCharsets.UTF_8),
                "application/json"));
        List<String> fields = new ArrayList<>(IDENTIFIER_FIELDS);
        if (op.request() != null) {
            for (RecordComponent c : op.request().getRecordComponents()) {
                String snake = c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
                if (IDENTIFIER_FIELDS.contains(snake) && !fields.contains(snake)) {
                    fields.add(snake);
                }
            }
        }
        for (String field : fields) {
            for (String value : HOSTILE_VALUES) {
                Map<String, String> body = new LinkedHashMap<>();
                body.put(field, value);
                out.add(new Body(field + "=" + printable(value), json(body), "application/json"));
            }
        }
        return out;
    }

    /**
     * Sends with {@code Expect: 100-continue}, as curl does for large bodies: the server can then refuse a 10 MB body
     * by its Content-Length without the client having to upload it first.
     */
    private static java.net.http.HttpResponse<String> send(int port, HandlerType method, String path, Body body)
            throws Exception {
        if (body.bytes.length > 1_000_000) {
            return announceOnly(port, method, path, body);
        }
        // over a socket of its own, as an HTTP/1.1 client sends it: Jetty closes the connection after refusing a
        // malformed URI, and a new java.net.http client per request (threads, selector) took most of this test's time
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = method.name() + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
                    + body.contentType + "\r\nContent-Length: " + body.bytes.length + "\r\nConnection: close\r\n\r\n";
            // one write: head and body in two would wait for the first one's ACK (Nagle) on every request
            socket.setTcpNoDelay(true);
            try {
                socket.getOutputStream().write(concat(head.getBytes(StandardCharsets.US_ASCII), body.bytes));
                socket.getOutputStream().flush();
            } catch (java.io.IOException refusedEarly) {
                // the server may answer and close before the whole body is sent; its answer is what counts
            }
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            if (answer.length < 12 || split < 0) {
                throw new java.io.IOException("no complete answer: " + text);
            }
            String headers = text.substring(0, split).toLowerCase(java.util.Locale.ROOT);
            byte[] rest = java.util.Arrays.copyOfRange(answer, split + 4, answer.length);
            byte[] content = headers.contains("\r\ntransfer-encoding: chunked") ? dechunk(rest) : rest;
            return new FixedResponse(Integer.parseInt(text.substring(9, 12)),
                    new String(content, StandardCharsets.UTF_8));
        }
    }

    /** The content of a chunked body. */
    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = at;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].strip();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, length);
            at = lineEnd + 2 + length + 2;
        }
        return out.toByteArray();
    }

    /**
     * Announces the large body (Content-Length and {@code Expect: 100-continue}, as curl does) and reads the answer
     * before sending it: the server must refuse it by its size alone.
     */
    private static java.net.http.HttpResponse<String> announceOnly(int port, HandlerType method, String path, Body body)
            throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = method.name() + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + body.contentType
                    + "\r\nContent-Length: " + body.bytes.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            String responseBody = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            return new FixedResponse(status, responseBody);
        }
    }

    /** Just what the assertions read of an answer obtained over a raw socket. */
    private record FixedResponse(int statusCode, String body) implements java.net.http.HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<java.net.http.HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return null;
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }

    private static byte[] json(Map<String, String> body) {
        StringBuilder s = new StringBuilder("{");
        body.forEach((k, v) -> {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(k).append("\":\"");
            v.chars().forEach(ch -> {
                if (ch < 0x20 || ch == '"' || ch == '\\' || Character.isSurrogate((char) ch)) {
                    s.append(String.format("\\u%04x", ch));
                } else {
                    s.append((char) ch);
                }
            });
            s.append('"');
        });
        return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String v) {
        return v.replaceAll("\\p{Cntrl}", "?");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Row count and content hash of every table of ours and FreeSWITCH's. */
    private static String snapshot() throws Exception {
        StringBuilder s = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    + "AND tablename <> 'ominis_schema_history' ORDER BY tablename")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY "
                        + "x::text), '')) FROM " + t + " x")) {
                    rs.next();
                    s.append(t).append(' ').append(rs.getLong(1)).append(' ').append(rs.getString(2)).append('\n');
                }
            }
        }
        return s.toString();
    }
}

package io.ominis.api.http;

import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.api.ContractCheck;
import io.ominis.core.ConfigurationException;
import io.ominis.db.ConnectionPool;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.fault.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bulkheads under the worst mix issue 11 names: the database frozen (every connection to it silent, new ones
 * accepted and never answered), 50 management API clients hammering routes that need it, and 50 clients sending their
 * bodies a byte at a time. FreeSWITCH's cached directory answers and {@code /health/live} must stay fast.
 */
class BulkheadsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final List<String> FIGURES = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void seed() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'Bulk-pass-1001')");
        }
    }

    @AfterAll
    static void printFigures() {
        FIGURES.forEach(f -> System.out.println("[figures] " + f));
    }

    @Test
    void cachedDirectoryAndLivenessStayFastWhileTheApiIsFloodedAndTheDatabaseFrozen() throws Exception {
        Duration bodyTimeout = Duration.ofSeconds(2);
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            Map<String, String> extra = Map.of("OMINIS_HTTP_BODY_TIMEOUT_MS", Long.toString(bodyTimeout.toMillis()));
            ServerSettings settings = ServerSettings.fromEnvironment(
                    ServerFixture.env(proxy.host(), proxy.port(), db, extra));
            try (HikariDataSource pool = ConnectionPool.open(settings.database());
                    OminisServer server = OminisServer.create(settings, pool)) {
                assertThat(server.changeListener().awaitConnected(Duration.ofSeconds(5))).isTrue();
                ContractCheck.test(server.app(), (srv, unused) -> run(proxy, srv.port(), bodyTimeout));
            }
        }
    }

    private static void run(TcpProxy proxy, int port, Duration bodyTimeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        HttpRequest directory = HttpRequest.newBuilder(URI.create(base + "/v1/freeswitch/directory"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sipAuth("1001", "d"))).timeout(Duration.ofSeconds(10)).build();
        HttpRequest live = HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(Duration.ofSeconds(10))
                .build();
        // warm the cache and the connections while the database answers
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(directory, HttpResponse.BodyHandlers.ofString()).body()).contains("Bulk-pass-1001");
            assertThat(http.send(live, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }

        proxy.freezeAll();
        AtomicBoolean stop = new AtomicBoolean();
        Map<Integer, AtomicInteger> apiStatuses = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(100);
        HttpClient apiHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newFixedThreadPool(8)).build();
        for (int i = 0; i < 50; i++) {
            String path = i % 2 == 0 ? "/v1/extensions" : "/v1/extensions/1001";
            load.submit(() -> {
                HttpRequest rest = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                        .build();
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = apiHttp.send(rest, HttpResponse.BodyHandlers.ofString());
                        apiStatuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()
                                && refusals.size() < 3) {
                            refusals.add(r.headers().firstValue("Content-Type").orElse("") + " " + r.body());
                        }
                    } catch (IOException e) {
                        apiStatuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            });
        }
        List<SlowBody> slow = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            load.submit(() -> {
                try (SlowBody s = new SlowBody(port)) {
                    slow.add(s);
                    s.trickle(stop);
                }
                return null;
            });
        }
        Thread.sleep(1_500); // let the floods fill their bulkheads

        List<Long> directoryNanos = new ArrayList<>();
        List<Long> liveNanos = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until) {
            long start = System.nanoTime();
            HttpResponse<String> d = http.send(directory, HttpResponse.BodyHandlers.ofString());
            directoryNanos.add(System.nanoTime() - start);
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(d.body()).contains("Bulk-pass-1001");
            start = System.nanoTime();
            assertThat(http.send(live, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            liveNanos.add(System.nanoTime() - start);
            Thread.sleep(20);
        }
        stop.set(true);
        List<SlowBody> cut = slow.stream().filter(SlowBody::wasCut).toList();
        int slowTotal = slow.size();
        load.shutdownNow();
        proxy.restore();
        load.awaitTermination(10, TimeUnit.SECONDS);

        Duration directoryP99 = p99(directoryNanos);
        Duration liveP99 = p99(liveNanos);
        FIGURES.add("frozen database, 50 API clients + 50 slow-body clients: cached directory p99 "
                + directoryP99.toMillis() + " ms (max " + max(directoryNanos).toMillis() + " ms, n="
                + directoryNanos.size() + "), /health/live p99 " + liveP99.toMillis() + " ms (max "
                + max(liveNanos).toMillis() + " ms, n=" + liveNanos.size() + ")");
        FIGURES.add("API answers by status during the flood: " + apiStatuses);
        FIGURES.add("slow-body clients cut off by the " + bodyTimeout.toMillis() + " ms body deadline: " + cut.size()
                + " of " + slowTotal);
        assertThat(directoryP99).isLessThan(Duration.ofMillis(100));
        assertThat(liveP99).isLessThan(Duration.ofMillis(100));
        // the API bulkhead refused the overflow at once, as problem+json with Retry-After
        assertThat(apiStatuses.getOrDefault(503, new AtomicInteger()).get()).isPositive();
        assertThat(refusals).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith(Problem.CONTENT_TYPE)
                .contains("\"status\":503").contains("api requests"));
        assertThat(apiStatuses).doesNotContainKey(500);
        // every slow body was cut off: the measured window (over 7 s) is far past the 2 s deadline
        assertThat(slowTotal).isEqualTo(50);
        assertThat(cut).hasSize(slowTotal);
    }

    @Test
    void aSlowBodyIsCutOffAtTheDeadlineAndANormalBodyStillArrives() throws Exception {
        Map<String, String> extra = Map.of("OMINIS_HTTP_BODY_TIMEOUT_MS", "500");
        ServerSettings settings = ServerFixture.settings(db, extra);
        try (HikariDataSource pool = ConnectionPool.open(settings.database());
                OminisServer server = OminisServer.create(settings, pool)) {
            ContractCheck.test(server.app(), (srv, client) -> {
                try (SlowBody s = new SlowBody(srv.port())) {
                    long start = System.nanoTime();
                    s.trickle(new AtomicBoolean());
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    FIGURES.add("500 ms body deadline: slow body cut after " + took.toMillis() + " ms");
                    assertThat(s.wasCut()).isTrue();
                    assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(2_000));
                }
                var created = io.ominis.api.ApiCalls.send(client, "POST", "/v1/extensions",
                        "{\"number\":\"1002\",\"password\":\"Bulk-pass-1002\"}");
                assertThat(created.code()).isEqualTo(201);
            });
        }
    }

    @Test
    void aFullBulkheadRefusesAtOnceAndTheOthersAreUntouched() throws Exception {
        // one API worker, no queue: a second API request while one is in progress is refused
        Map<String, String> extra = Map.of("OMINIS_HTTP_API_WORKERS", "1", "OMINIS_HTTP_API_QUEUE", "0");
        ServerSettings settings = ServerFixture.settings(db, extra);
        try (HikariDataSource pool = ConnectionPool.open(settings.database());
                OminisServer server = OminisServer.create(settings, pool)) {
            ContractCheck.test(server.app(), (srv, client) -> {
                try (Connection lock = db.connect(); Statement st = lock.createStatement()) {
                    // hold the row so the PATCH below waits inside its API worker
                    lock.setAutoCommit(false);
                    st.execute("SELECT * FROM extensions WHERE number = '1001' FOR UPDATE");
                    ExecutorService one = Executors.newSingleThreadExecutor();
                    var patch = one.submit(() -> io.ominis.api.ApiCalls.send(client, "PATCH",
                            "/v1/extensions/1001", "{\"display_name\":\"Held\"}").code());
                    awaitBlockedOnALock();
                    long start = System.nanoTime();
                    var refused = client.get("/v1/extensions");
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(refused.code()).isEqualTo(503);
                    assertThat(refused.headers().get("Retry-After")).containsExactly("1");
                    assertThat(refused.headers().get("Content-Type").get(0)).startsWith(Problem.CONTENT_TYPE);
                    assertThat(took).isLessThan(Duration.ofMillis(500));
                    assertThat(client.get("/health/live").code()).isEqualTo(200);
                    assertThat(io.ominis.api.ApiCalls.postForm(client, "/v1/freeswitch/directory",
                            sipAuth("1001", "d")).code()).isEqualTo(200);
                    String metrics = client.get("/metrics").body().string();
                    assertThat(metrics).contains("ominis_http_bulkhead_refused_total{bulkhead=\"api\"} 1.0")
                            .contains("ominis_http_bulkhead_refused_total{bulkhead=\"freeswitch\"} 0.0")
                            .contains("ominis_http_bulkhead_waiting{bulkhead=\"api\"} 0.0");
                    lock.rollback();
                    assertThat(patch.get(10, TimeUnit.SECONDS)).isEqualTo(200);
                    one.shutdown();
                }
            });
        }
    }

    @Test
    void limitsOutOfRangeStopStartUpNamingTheSetting() {
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(
                ServerFixture.env(db, Map.of("OMINIS_HTTP_API_WORKERS", "0"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_HTTP_API_WORKERS");
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(
                ServerFixture.env(db, Map.of("OMINIS_HTTP_BODY_TIMEOUT_MS", "soon"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_HTTP_BODY_TIMEOUT_MS");
        assertThatThrownBy(() -> ServerSettings.fromEnvironment(
                ServerFixture.env(db, Map.of("OMINIS_HTTP_SELECTORS", "0"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_HTTP_SELECTORS");
        HttpLimits limits = HttpLimits.defaults(10);
        assertThat(limits.selectors()).isEqualTo(Math.max(4, Runtime.getRuntime().availableProcessors()));
        assertThat(HttpLimits.fromEnvironment(Map.of("OMINIS_HTTP_SELECTORS", "2"), 10).selectors()).isEqualTo(2);
        assertThat(new Bulkheads(limits).threadPool().getMaxThreads())
                .isGreaterThan(limits.totalWorkers() + limits.selectors());
        assertThat(limits.apiWorkers()).isEqualTo(20);
        assertThat(limits.freeswitchWorkers()).isGreaterThanOrEqualTo(20);
        assertThat(new Bulkheads(limits).threadPool().getMaxThreads()).isGreaterThan(limits.totalWorkers());
    }

    @Test
    void freeSwitchLookupsAreCappedWellAboveThePoolWithOrWithoutACache() {
        for (String cache : new String[] {"true", "false"}) {
            ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env(db,
                    Map.of("OMINIS_DIRECTORY_CACHE", cache, "OMINIS_DB_POOL_SIZE", "7")));
            assertThat(settings.http().freeswitchWorkers()).as("cache %s", cache).isEqualTo(256);
        }
        ServerSettings large = ServerSettings.fromEnvironment(ServerFixture.env(db,
                Map.of("OMINIS_DB_POOL_SIZE", "200")));
        assertThat(large.http().freeswitchWorkers()).isGreaterThanOrEqualTo(400);
        ServerSettings chosen = ServerSettings.fromEnvironment(ServerFixture.env(db,
                Map.of("OMINIS_DIRECTORY_CACHE", "false", "OMINIS_HTTP_FREESWITCH_WORKERS", "30")));
        assertThat(chosen.http().freeswitchWorkers()).isEqualTo(30);
    }

    /** Waits until another session waits for a row lock: the PATCH holds the API's only worker. */
    private static void awaitBlockedOnALock() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            // a connection of its own in autocommit: within one transaction pg_stat_activity is a frozen snapshot
            try (Connection observer = db.connect(); Statement st = observer.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity "
                            + "WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the PATCH never reached the locked row");
    }

    private static Duration p99(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return Duration.ofNanos(sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    private static Duration max(List<Long> nanos) {
        return Duration.ofNanos(Collections.max(nanos));
    }

    /** A client that announces a 1,000-byte JSON body and sends it one byte every 100 ms. */
    private static final class SlowBody implements AutoCloseable {
        private final Socket socket;
        private volatile boolean cut;

        SlowBody(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(100);
            String head = "POST /v1/extensions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        /** Sends until the server closes the connection (cut) or {@code stop}. */
        void trickle(AtomicBoolean stop) {
            try {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                for (int i = 0; i < 999 && !stop.get(); i++) {
                    out.write('[');
                    out.flush();
                    try {
                        if (in.read() < 0) {
                            cut = true;
                            return;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // nothing from the server yet: go on trickling
                    }
                }
            } catch (IOException e) {
                cut = true; // reset or broken pipe: the server closed it
            }
        }

        boolean wasCut() {
            return cut;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

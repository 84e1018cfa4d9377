package io.ominis.server;

import io.ominis.api.ContractCheck;
import io.ominis.api.ApiCalls;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.api.OminisServer;
import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.send;
import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.testtools.HttpClient;
import io.ominis.db.ChangeListener;
import io.ominis.db.ConnectionPool;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.fault.TcpProxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections that stop answering without closing (a {@link TcpProxy} freezes them): the change listener notices
 * within its heartbeat bound, says so in readiness, reconnects and resyncs; a request on a half-open pooled
 * connection fails within the statement timeout plus 2 s; start-up against a silent port gives up with one line.
 */
class HalfOpenDatabaseTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longest the change listener may take to notice a frozen connection. */
    private static final Duration LISTENER_DETECTION = ChangeListener.HEARTBEAT.plus(ChangeListener.HEARTBEAT_TIMEOUT);

    /** Measured durations, printed after the tests (JavalinTest captures standard output while one runs). */
    private static final java.util.List<String> FIGURES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void printFigures() {
        FIGURES.forEach(f -> System.out.println("[figures] " + f));
    }

    @BeforeEach
    void seed() throws Exception {
        sql("DELETE FROM extensions", "INSERT INTO extensions (number, password) VALUES ('1001', 'Old-pass-1001')");
    }

    @Test
    void aFrozenListenerConnectionIsReplacedAndAPasswordChangedInSqlIsServedWithinTenSeconds() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            // the pool goes straight to the database; only the listener's connection runs through the proxy
            withServer(proxy, db.dataSource(), Map.of(), (server, client) -> {
                assertThat(directory(client, "1001")).contains("Old-pass-1001");
                long connects = server.changeListener().connects();

                proxy.freezeExisting();
                long start = System.nanoTime();
                sql("UPDATE extensions SET password = 'New-pass-1001' WHERE number = '1001'");
                boolean sawListenerDown = false;
                Duration served = null;
                while (System.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                    JsonNode ready = JSON.readTree(client.get("/health/ready").body().string());
                    sawListenerDown |= "DOWN".equals(ready.path("checks").path("changeListener").asText());
                    if (directory(client, "1001").contains("New-pass-1001")) {
                        served = Duration.ofNanos(System.nanoTime() - start);
                        break;
                    }
                    Thread.sleep(50);
                }
                FIGURES.add("frozen listener: new password served after " + millis(served));
                assertThat(served).as("new password served").isNotNull().isLessThan(Duration.ofSeconds(10));
                assertThat(sawListenerDown).as("readiness reported the listener down meanwhile").isTrue();
                assertThat(server.changeListener().connects()).isGreaterThan(connects);
                JsonNode ready = JSON.readTree(client.get("/health/ready").body().string());
                assertThat(ready.path("checks").path("changeListener").asText()).isEqualTo("UP");
                assertThat(ready.path("checks").path("changeListenerLastHeartbeat").asText()).isNotEmpty();
            });
        }
    }

    @Test
    void aWriteThroughTheApiDropsItsOwnCachedEntryWithoutWaitingForTheNotification() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            withServer(proxy, db.dataSource(), Map.of(), (server, client) -> {
                assertThat(directory(client, "1001")).contains("Old-pass-1001");
                proxy.freezeExisting(); // the notification of our own write cannot arrive
                long start = System.nanoTime();
                assertThat(send(client, "PATCH", "/v1/extensions/1001", "{\"password\": \"Api-pass-1001\"}").code())
                        .isEqualTo(200);
                assertThat(directory(client, "1001")).contains("Api-pass-1001");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                FIGURES.add("own write: new password served after " + millis(took));
                assertThat(took).isLessThan(LISTENER_DETECTION);
            });
        }
    }

    @Test
    void metricsAnswerFromMemoryWhileTheDatabaseIsFrozen() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            Map<String, String> extra = Map.of("OMINIS_DB_CONNECT_TIMEOUT_MS", "1000", "OMINIS_DB_POOL_SIZE", "2");
            ServerSettings settings = settings(proxy, extra);
            try (HikariDataSource pool = ConnectionPool.open(settings.database())) {
                withServer(proxy, pool, extra, (server, client) -> {
                    assertThat(client.get("/metrics").code()).isEqualTo(200);
                    proxy.freezeAll();
                    Duration slowest = Duration.ZERO;
                    // longer than one collection period, so a collection runs into the freeze meanwhile
                    long until = System.nanoTime() + io.ominis.api.metrics.ServerMetrics.COLLECT_EVERY.toNanos()
                            + Duration.ofSeconds(1).toNanos();
                    while (System.nanoTime() < until) {
                        long start = System.nanoTime();
                        var reply = client.get("/metrics");
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        slowest = took.compareTo(slowest) > 0 ? took : slowest;
                        assertThat(reply.code()).isEqualTo(200);
                        assertThat(reply.body().string()).contains("ominis_tts_cache_entries")
                                .contains("ominis_metrics_collected_age_seconds");
                        Thread.sleep(250);
                    }
                    FIGURES.add("frozen database: slowest /metrics " + millis(slowest));
                    // an uncached user cannot be looked up now: counted as a timeout or error, not as unknown
                    directory(client, "1777");
                    assertThat(client.get("/metrics").body().string()).containsPattern(
                            "ominis_xmlcurl_answers_total\\{endpoint=\"directory\",outcome=\"(timeout|error)\","
                                    + "reason=\"lookup_(timeout|failed)\"} 1.0");
                    assertThat(slowest).isLessThan(Duration.ofMillis(200));
                    proxy.restore();
                });
            }
        }
    }

    @Test
    void aRequestOnAHalfOpenPooledConnectionFailsWithinTheStatementTimeoutPlusTwoSeconds() throws Exception {
        Duration statementTimeout = Duration.ofSeconds(2);
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            Map<String, String> extra = Map.of(
                    "OMINIS_DB_STATEMENT_TIMEOUT_MS", Long.toString(statementTimeout.toMillis()),
                    "OMINIS_DB_CONNECT_TIMEOUT_MS", "1000",
                    "OMINIS_DB_POOL_SIZE", "2");
            ServerSettings settings = settings(proxy, extra);
            try (HikariDataSource pool = ConnectionPool.open(settings.database())) {
                withServer(proxy, pool, extra, (server, client) -> {
                    assertThat(client.get("/v1/extensions").code()).isEqualTo(200);

                    proxy.freezeAll();
                    for (String path : new String[] {"/v1/extensions", "/v1/extensions/1001"}) {
                        long start = System.nanoTime();
                        var reply = client.get(path);
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        FIGURES.add("half-open pool: GET " + path + " answered " + reply.code()
                                + " after " + millis(took));
                        assertThat(reply.code()).isEqualTo(503);
                        assertThat(reply.headers().get("Content-Type").get(0)).startsWith("application/problem+json");
                        assertThat(took).isLessThan(statementTimeout.plusSeconds(2));
                    }
                    proxy.restore();
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (client.get("/v1/extensions").code() != 200 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(client.get("/v1/extensions").code()).isEqualTo(200);
                });
            }
        }
    }

    @Test
    void startUpAgainstAPortThatAcceptsButNeverAnswersExitsNonZeroWithOneLine() throws Exception {
        try (TcpProxy silent = TcpProxy.to(db.host(), db.port())) {
            silent.freezeAll();
            Map<String, String> env = ServerFixture.env("127.0.0.1", silent.port(), db, Map.of("PORT", "0"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            int code = Main.run(new String[] {"serve"}, env, new PrintWriter(out, true), new PrintWriter(err, true));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            FIGURES.add("silent database: serve exited " + code + " after " + millis(took));
            assertThat(code).isNotZero().isNotEqualTo(io.ominis.server.cli.ServeCommand.KEEP_RUNNING);
            assertThat(took).isLessThan(Duration.ofSeconds(15))
                    .isLessThan(Duration.ofSeconds(5).plus(ConnectionPool.STARTUP_MARGIN));
            assertThat(err.toString().strip()).doesNotContain("\n").contains("cannot connect to database")
                    .contains(Integer.toString(silent.port()));
            assertThat(silent.openConnections()).isPositive();
        }
    }

    @FunctionalInterface
    private interface ServerTest {
        void run(OminisServer server, HttpClient client) throws Exception;
    }

    private static ServerSettings settings(TcpProxy proxy, Map<String, String> extra) {
        return ServerSettings.fromEnvironment(ServerFixture.env("127.0.0.1", proxy.port(), db, extra));
    }

    /** A server whose listener connects through {@code proxy} and whose pool is {@code dataSource}. */
    private static void withServer(TcpProxy proxy, DataSource dataSource, Map<String, String> extra, ServerTest test)
            throws Exception {
        try (OminisServer server = OminisServer.create(settings(proxy, extra), dataSource)) {
            assertThat(server.changeListener().awaitConnected(Duration.ofSeconds(5))).isTrue();
            ContractCheck.test(server.app(), (srv, client) -> test.run(server, client));
        }
    }

    private static String directory(HttpClient client, String number) {
        return postForm(client, "/v1/freeswitch/directory", sipAuth(number, "d")).body().string();
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String millis(Duration d) {
        return d == null ? "never" : d.toMillis() + " ms";
    }
}

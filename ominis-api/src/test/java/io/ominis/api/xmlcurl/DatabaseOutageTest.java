package io.ominis.api.xmlcurl;

import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.api.ContractCheck;
import io.ominis.db.ConnectionPool;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.testing.fault.TcpProxy;
import io.ominis.testing.OminisDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL goes away mid-run (a TCP proxy in front of it is cut): cached users keep being answered, others get
 * not-found within the bound, readiness says not ready, and everything recovers when the database is back.
 */
class DatabaseOutageTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void keepsAnsweringFromCacheAndRecovers() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'cached-pw'), ('1002', 'uncached-pw')");
        }
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env("127.0.0.1", proxy.port(), db,
                    Map.of("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", "500", "OMINIS_DB_CONNECT_TIMEOUT_MS", "1000")));
            try (HikariDataSource pool = ConnectionPool.open(settings.database());
                 OminisServer server = OminisServer.create(settings, pool)) {
                assertThat(server.changeListener().awaitConnected(Duration.ofSeconds(5))).isTrue();
                ContractCheck.test(server.app(), (srv, client) -> {
                    assertThat(client.get("/health/ready").code()).isEqualTo(200);
                    assertThat(postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d")).body().string())
                            .contains("cached-pw");

                    proxy.cut();

                    assertThat(postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d")).body().string())
                            .contains("cached-pw");
                    long start = System.nanoTime();
                    var uncached = postForm(client, "/v1/freeswitch/directory", sipAuth("1002", "d"));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(uncached.code()).isEqualTo(200);
                    assertThat(uncached.body().string()).contains("not found").doesNotContain("uncached-pw");
                    assertThat(took).isLessThan(Duration.ofMillis(1500));
                    var ready = client.get("/health/ready");
                    assertThat(ready.code()).isEqualTo(503);
                    assertThat(ready.body().string()).contains("\"database\":\"DOWN\"");
                    assertThat(client.get("/health/live").code()).isEqualTo(200);
                    // still cached after the listener noticed the outage
                    assertThat(postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d")).body().string())
                            .contains("cached-pw");

                    proxy.restore();

                    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    String body = "";
                    while (System.nanoTime() < deadline) {
                        body = postForm(client, "/v1/freeswitch/directory", sipAuth("1002", "d")).body().string();
                        if (body.contains("uncached-pw") && client.get("/health/ready").code() == 200) {
                            break;
                        }
                        Thread.sleep(100);
                    }
                    assertThat(body).contains("uncached-pw");
                    assertThat(client.get("/health/ready").code()).isEqualTo(200);
                });
            }
        }
    }

    /**
     * Cached answers are written on Jetty's network threads (there is one here), and a lookup that needs the database
     * must never hold one while it waits: it is answered by the lookup thread once the database answers or the bound
     * passes. With the database frozen, cached users keep being answered at once while eight lookups wait it out.
     */
    @Test
    void lookupsWaitingForAFrozenDatabaseHoldUpNoCachedAnswer() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('2001', 'frozen-cached-pw')");
        }
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
            ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env("127.0.0.1", proxy.port(), db,
                    Map.of("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", "1000", "OMINIS_HTTP_SELECTORS", "1",
                            "OMINIS_BIND", "127.0.0.1", "PORT", "0")));
            try (HikariDataSource pool = ConnectionPool.open(settings.database());
                 OminisServer server = OminisServer.create(settings, pool).start()) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String url = "http://127.0.0.1:" + server.port() + "/v1/freeswitch/directory";
                assertThat(lookup(http, url, "2001").body()).contains("frozen-cached-pw");

                proxy.freezeAll();
                long start = System.nanoTime();
                List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    waiting.add(http.sendAsync(request(url, "30" + i), HttpResponse.BodyHandlers.ofString()));
                }
                Thread.sleep(100);
                long slowest = 0;
                for (int i = 0; i < 20; i++) {
                    long t = System.nanoTime();
                    assertThat(lookup(http, url, "2001").body()).contains("frozen-cached-pw");
                    slowest = Math.max(slowest, System.nanoTime() - t);
                }
                long cachedDone = (System.nanoTime() - start) / 1_000_000;
                assertThat(waiting).allSatisfy(f -> assertThat(f).isNotDone());
                assertThat(Duration.ofNanos(slowest)).as("slowest cached answer, %d ms after the freeze", cachedDone)
                        .isLessThan(Duration.ofMillis(300));
                for (CompletableFuture<HttpResponse<String>> f : waiting) {
                    HttpResponse<String> answer = f.get(10, TimeUnit.SECONDS);
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).contains("not found");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950),
                        Duration.ofMillis(3000));
            }
        }
    }

    private static HttpRequest request(String url, String user) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sipAuth(user, "d"))).build();
    }

    private static HttpResponse<String> lookup(HttpClient http, String url, String user) throws Exception {
        return http.send(request(url, user), HttpResponse.BodyHandlers.ofString());
    }
}

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
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
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
}

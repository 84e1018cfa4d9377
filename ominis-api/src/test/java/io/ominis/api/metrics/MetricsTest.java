package io.ominis.api.metrics;

import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.api.ContractCheck;
import io.ominis.db.ConnectionPool;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** After some traffic, /metrics has every family with values that match the traffic. */
class MetricsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void exposesEveryFamilyWithSensibleValues() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'pw')");
        }
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env(db,
                Map.of("OMINIS_FREESWITCH_NODES", "fs1=http://u:p@127.0.0.1:" + dead,
                        "OMINIS_ACL_RELOAD_WINDOW_MS", "0")));
        try (HikariDataSource pool = ConnectionPool.open(settings.database());
             FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
             OminisServer server = OminisServer.create(settings, pool, nodes)) {
            server.changeListener().awaitConnected(java.time.Duration.ofSeconds(5));
            assertThat(server.channelMirror().catchUp(java.time.Duration.ofSeconds(10))).isTrue();
            nodes.reloadAcl().get(); // fails in transport: nothing listens there
            ContractCheck.test(server.app(), (srv, client) -> {
                for (int i = 0; i < 3; i++) {
                    postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d"));
                }
                postForm(client, "/v1/freeswitch/directory", sipAuth("4040", "d"));
                client.get("/v1/extensions/1001");
                client.get("/v1/extensions/404");
                client.get("/v1/channels");
                client.get("/v1/channels/count");
                client.get("/v1/channels/no-such-uuid");

                var ready = client.get("/health/ready").body().string();
                assertThat(ready).contains("\"freeswitch\":{\"fs1\":{\"status\":\"DOWN\"")
                        // the node watch probes the dead node too, so a slow run may count more than our one call
                        .containsPattern("\"consecutive_failures\":[1-9]");

                var r = client.get("/metrics");
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.headers().get("Content-Type").get(0)).startsWith("text/plain");
                String text = r.body().string();
                java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-sample.txt"), text);

                assertThat(value(text, "ominis_http_server_requests_seconds_count",
                        "method=\"POST\",route=\"/v1/freeswitch/directory\",status=\"200\"")).isEqualTo(4);
                assertThat(value(text, "ominis_http_server_requests_seconds_count",
                        "method=\"GET\",route=\"/v1/extensions/{number}\",status=\"404\"")).isEqualTo(1);
                // directory lookups read the SIP user (findSipUser), the API reads the extension (find)
                assertThat(value(text, "ominis_db_queries_seconds_count",
                        "outcome=\"success\",query=\"ExtensionDao.find\"")
                        + value(text, "ominis_db_queries_seconds_count",
                        "outcome=\"success\",query=\"ExtensionDao.findSipUser\"")).isGreaterThanOrEqualTo(3);
                // the channel routes answered from the in-memory copy: no query of theirs, the copy's own load timed
                // under its DAO method though it bypasses Jdbi (JdbcReads)
                assertThat(text).doesNotContain("query=\"ChannelDao.list\"").doesNotContain("query=\"ChannelDao.find\"")
                        .doesNotContain("query=\"ChannelDao.count\"");
                assertThat(value(text, "ominis_db_queries_seconds_count",
                        "outcome=\"success\",query=\"ChannelDao.all\"")).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "ominis_channel_mirror_current", "")).isEqualTo(1);
                assertThat(value(text, "ominis_channel_mirror_full_loads_total", "")).isGreaterThanOrEqualTo(1);
                assertThat(text).contains("ominis_channel_mirror_partial_loads_total")
                        .contains("ominis_channel_mirror_channels ");
                assertThat(value(text, "ominis_directory_cache_hits_total", "")).isEqualTo(2);
                assertThat(value(text, "ominis_directory_cache_misses_total", "")).isEqualTo(2);
                assertThat(value(text, "ominis_directory_cache_size", "")).isEqualTo(2);
                // one of the two cached users was found and rendered (the other is unknown): its document is kept
                assertThat(value(text, "ominis_directory_cache_rendered_bytes", "")).isGreaterThan(200);
                assertThat(text).contains("ominis_directory_cache_invalidations_total");
                assertThat(value(text, "ominis_change_listener_connected", "")).isEqualTo(1);
                assertThat(text).contains("ominis_change_listener_reconnects_total");
                assertThat(value(text, "ominis_xmlrpc_calls_total", "node=\"fs1\",outcome=\"transport_error\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(text, "ominis_freeswitch_node_up", "node=\"fs1\"")).isZero();
                assertThat(value(text, "hikaricp_connections_max", "pool=\"ominis\"")).isEqualTo(10);
                assertThat(text).contains("jvm_memory_used_bytes").contains("process_uptime_seconds")
                        .contains("jvm_threads_live ");
                // the directory route's histogram has the sub-millisecond buckets, REST starts at a millisecond
                assertThat(text).contains("ominis_http_server_requests_seconds_bucket{method=\"POST\","
                        + "route=\"/v1/freeswitch/directory\",status=\"200\",le=\"1.0E-4\"}")
                        .contains("ominis_http_server_requests_seconds_bucket{method=\"GET\","
                                + "route=\"/v1/extensions/{number}\",status=\"404\",le=\"0.001\"}")
                        .doesNotContain("route=\"/v1/extensions/{number}\",status=\"404\",le=\"1.0E-4\"")
                        .contains("ominis_db_queries_seconds_bucket{outcome=\"success\",query=\"ExtensionDao.find\","
                                + "le=\"1.0E-4\"}");
                assertThat(value(text, "ominis_xmlcurl_answers_total",
                        "endpoint=\"directory\",outcome=\"found\",reason=\"none\"")).isEqualTo(3);
                assertThat(value(text, "ominis_xmlcurl_answers_total",
                        "endpoint=\"directory\",outcome=\"not_found\",reason=\"unknown_user\"")).isEqualTo(1);
                assertThat(value(text, "ominis_xmlcurl_answers_total",
                        "endpoint=\"directory\",outcome=\"timeout\",reason=\"lookup_timeout\"")).isZero();
                // clean names: no nanosecond counters, no unit suffixes that only repeat what is counted
                assertThat(text).doesNotContain("process_cpu_time_ns").doesNotContain("_threads_threads")
                        .doesNotContain("jvm_threads_live_threads").doesNotContain("_classes_total")
                        .doesNotContain("_count_buffers");
                assertThat(value(text, "ominis_build_info", "")).isEqualTo(1);
            });
        }
    }

    /** The value of {@code name{labels…}} (labels as Prometheus sorts them), or fails when absent. */
    private static double value(String text, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + (labels.isEmpty() ? "(\\{[^}]*})?"
                : "\\{" + Pattern.quote(labels) + "[^}]*}") + " ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(name + "{" + labels + "} in\n" + text.lines()
                .filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n")).isTrue();
        return Double.parseDouble(m.group(m.groupCount()));
    }
}

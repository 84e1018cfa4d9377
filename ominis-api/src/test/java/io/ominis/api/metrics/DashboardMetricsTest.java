package io.ominis.api.metrics;

import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.testtools.JavalinTest;
import io.ominis.db.ConnectionPool;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlrpc.FreeSwitchNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Grafana dashboard and the alert rules query only metrics that a real server's {@code /metrics} answer has, and
 * the dashboard's "callers waiting per queue" and "available agents per queue/status" panels, evaluated by
 * Prometheus's own engine ({@code promtool}) over that answer, show the waiting callers and available agents the
 * test created.
 */
class DashboardMetricsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Path DASHBOARD = Promtool.DEPLOY.resolve("grafana/ominis.json");
    private static final Path RULES = Promtool.DEPLOY.resolve("prometheus/ominis-rules.yml");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "le");

    @Test
    void everyQueriedMetricExistsAndTheCallCenterPanelsShowTheTestsData() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'pw')");
            st.execute("INSERT INTO callcenter_queues (name) VALUES ('sales'), ('support')");
            st.execute("""
                    INSERT INTO members (queue, uuid, session_uuid, state) VALUES
                      ('sales', 'm1', 's1', 'Waiting'), ('sales', 'm2', 's2', 'Waiting'),
                      ('sales', 'm3', 's3', 'Answered')""");
            st.execute("""
                    INSERT INTO agents (name, status, state) VALUES
                      ('a1', 'Available', 'Waiting'), ('a2', 'Available (On Demand)', 'Idle'),
                      ('a3', 'On Break', 'Idle'), ('a4', 'Logged Out', 'Waiting')""");
            st.execute("""
                    INSERT INTO tiers (queue, agent) VALUES
                      ('sales', 'a1'), ('sales', 'a2'), ('sales', 'a3'), ('support', 'a1'), ('support', 'a4')""");
            st.execute("INSERT INTO registrations (reg_user, realm, hostname) VALUES ('1001', 'd', 'fs1')");
            st.execute("INSERT INTO channels (uuid, hostname) VALUES ('c1', 'fs1'), ('c2', 'fs1')");
            st.execute("INSERT INTO calls (call_uuid, caller_uuid, callee_uuid, hostname) VALUES ('k', 'c1', 'c2', 'fs1')");
            st.execute("""
                    INSERT INTO cdr (uuid, start_stamp, end_stamp) VALUES
                      ('cdr1', localtimestamp - interval '2 minutes', localtimestamp - interval '90 seconds')""");
        }
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        ServerSettings settings = ServerSettings.fromEnvironment(ServerFixture.env(db,
                Map.of("OMINIS_FREESWITCH_NODES", "fs1=http://u:p@127.0.0.1:" + dead)));
        try (HikariDataSource pool = ConnectionPool.open(settings.database());
             FreeSwitchNodes nodes = (FreeSwitchNodes) FreeSwitchNodes.create(settings.freeSwitch());
             OminisServer server = OminisServer.create(settings, pool, nodes)) {
            server.changeListener().awaitConnected(java.time.Duration.ofSeconds(5));
            JavalinTest.test(server.app(), (srv, client) -> {
                postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d"));
                postForm(client, "/v1/freeswitch/directory", sipAuth("4040", "d"));
                client.get("/v1/extensions/1001");
                String text = "";
                // the figures are collected in the background right after start; wait for that collection
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < deadline) {
                    text = client.get("/metrics").body().string();
                    if (text.contains("ominis_queue_callers_waiting{queue=\"sales\"} 2.0")
                            && text.contains("ominis_cdr_ingestion_lag_seconds ")
                            && !text.contains("ominis_cdr_ingestion_lag_seconds NaN")) {
                        break;
                    }
                    Thread.sleep(200);
                }
                Files.writeString(Path.of("target/dashboard-metrics-sample.txt"), text);
                Set<String> exposed = seriesNames(text);

                JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
                Map<String, String> exprByPanel = new java.util.LinkedHashMap<>();
                Set<String> queried = new TreeSet<>();
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String expr = target.path("expr").asText();
                        exprByPanel.merge(panel.path("title").asText(), expr, (a, b) -> a);
                        Set<String> names = metricNames(expr);
                        assertThat(names).as("metrics of panel " + panel.path("title") + ": " + expr).isNotEmpty();
                        queried.addAll(names);
                    }
                }
                assertThat(queried).as("the parser finds the dashboard's metrics").contains(
                        "ominis_queue_callers_waiting", "ominis_queue_agents", "hikaricp_connections_active",
                        "ominis_http_server_requests_seconds_bucket", "ominis_xmlcurl_answers_total",
                        "ominis_freeswitch_node_up", "ominis_change_listener_connected",
                        "ominis_cdr_ingestion_lag_seconds", "ominis_cdr_partitions_ahead");
                assertThat(exposed).as("/metrics has every metric the dashboard queries").containsAll(queried);

                Set<String> ruled = new TreeSet<>();
                Matcher m = Pattern.compile("(?m)^\\s+expr: (>\\n(?:\\s{10,}.*\\n)+|.*)").matcher(Files.readString(RULES));
                while (m.find()) {
                    metricNames(m.group(1)).stream().filter(n -> !n.contains(":") && !n.equals("up"))
                            .forEach(ruled::add);
                }
                assertThat(ruled).contains("ominis_freeswitch_node_up", "ominis_cdr_partitions_ahead");
                assertThat(exposed).as("/metrics has every metric the alert rules query").containsAll(ruled);

                // the live figures of the test's data
                assertThat(text).contains("ominis_queue_callers_waiting{queue=\"support\"} 0.0")
                        .contains("ominis_agents{state=\"Waiting\",status=\"Available\"} 1.0")
                        .contains("ominis_registrations 1.0").contains("ominis_channels 2.0")
                        .contains("ominis_calls 1.0").contains("ominis_cdr_partitions_ahead 3.0")
                        .contains("ominis_xmlcurl_answers_total{endpoint=\"directory\",outcome=\"not_found\","
                                + "reason=\"unknown_user\"} 1.0")
                        .containsPattern("ominis_build_info\\{java_version=\"[^\"]+\",version=\"\\d[^\"]*\"} 1");
                Matcher lag = Pattern.compile("(?m)^ominis_cdr_ingestion_lag_seconds ([0-9.]+)$").matcher(text);
                assertThat(lag.find()).as(text).isTrue();
                assertThat(Double.parseDouble(lag.group(1))).isBetween(85.0, 200.0);

                // Prometheus evaluates the two panels over this very answer
                String waiting = exprByPanel.get("Callers waiting per queue");
                String available = exprByPanel.get("Available agents per queue/status");
                String tests = """
                        rule_files: []
                        tests:
                          - interval: 1m
                            input_series:
                        %s
                            promql_expr_test:
                              - expr: '%s'
                                eval_time: 2m
                                exp_samples:
                                  - labels: '{queue="sales"}'
                                    value: 2
                                  - labels: '{queue="support"}'
                                    value: 0
                              - expr: '%s'
                                eval_time: 2m
                                exp_samples:
                                  - labels: '{queue="sales",status="Available"}'
                                    value: 1
                                  - labels: '{queue="sales",status="Available (On Demand)"}'
                                    value: 1
                                  - labels: '{queue="support",status="Available"}'
                                    value: 1
                        """.formatted(inputSeries(text, Set.of("ominis_queue_callers_waiting", "ominis_queue_agents")),
                        forPromtool(waiting), forPromtool(available));
                Path dir = Promtool.folderWith("panels.test.yml", tests);
                assertThat(Promtool.run(dir, "test", "rules", "panels.test.yml")).contains("SUCCESS");
            });
        }
    }

    /** The panel's query as Grafana would send it with "All" instances selected, quoted for YAML single quotes. */
    private static String forPromtool(String expr) {
        return expr.replace("$instance", ".*").replace("'", "''");
    }

    /** promtool input series (constant over the test) for the sample lines of {@code families}, with an instance. */
    private static String inputSeries(String exposition, Set<String> families) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.lines().toList()) {
            int brace = line.indexOf('{');
            if (line.startsWith("#") || brace < 0 || !families.contains(line.substring(0, brace))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String series = line.substring(0, brace + 1) + "instance=\"test\"," + line.substring(brace + 1, close + 1);
            String value = line.substring(close + 1).trim();
            out.append("      - series: '").append(series.replace("'", "''")).append("'\n")
                    .append("        values: '").append(value).append("x5'\n");
        }
        assertThat(out).as("series of " + families).isNotEmpty();
        return out.toString();
    }

    /** Names of the series in a Prometheus text exposition. */
    private static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /**
     * The metric names a PromQL expression selects: label matchers, strings, ranges and grouping clauses removed,
     * then every identifier that is not a function call or a keyword.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][\\w:]*)\\s*(\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}

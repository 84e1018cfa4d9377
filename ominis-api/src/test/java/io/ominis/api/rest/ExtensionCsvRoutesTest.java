package io.ominis.api.rest;

import static io.ominis.api.ApiCalls.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionCsvRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "Good-Pass-1234";

    private OminisServer server;

    @BeforeEach
    void start() throws Exception {
        sql("DELETE FROM extensions");
        server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Response csv(HttpClient client, String path, String body) {
        return client.request(path, b -> b.post(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/csv; charset=utf-8"));
    }

    @Test
    void importsInEachModeAndExportsWithoutPasswords() throws Exception {
        JavalinTest.test(server.app(), (srv, client) -> {
            Response created = csv(client, "/v1/extensions/import", "number,password,display_name,department\n"
                    + "1001," + GOOD + ",\"Doe, Jane\",Sales\n1002," + GOOD + ",Bob,Support\n");
            assertThat(created.code()).as(created.body().string()).isEqualTo(200);
            JsonNode body = JSON.readTree(created.body().string());
            assertThat(body.get("mode").asText()).isEqualTo("fail");
            assertThat(body.get("created").asLong()).isEqualTo(2);

            String again = "number,password,display_name\n1001," + GOOD + ",Renamed\n1003," + GOOD + ",New\n"
                    + "1004,weak,Weak\n";
            JsonNode skipped = JSON.readTree(csv(client, "/v1/extensions/import?mode=skip", again).body().string());
            assertThat(List.of(skipped.get("created").asLong(), skipped.get("skipped").asLong(),
                    skipped.get("failed").asLong())).containsExactly(1L, 1L, 1L);
            assertThat(skipped.get("errors").get(0).get("line").asLong()).isEqualTo(4);
            assertThat(skipped.get("errors").get(0).get("field").asText()).isEqualTo("password");
            JsonNode updated = JSON.readTree(csv(client, "/v1/extensions/import?mode=update", again).body().string());
            assertThat(updated.get("updated").asLong()).isEqualTo(2);

            Response export = client.request("/v1/extensions?q=renamed", b -> b.header("Accept", "text/csv"));
            assertThat(export.code()).isEqualTo(200);
            assertThat(export.headers().get("Content-Type").get(0)).startsWith("text/csv");
            String text = export.body().string();
            assertThat(text).startsWith("number,display_name,email,department,status,")
                    .contains("1001,Renamed,,,active").doesNotContain(GOOD).doesNotContain("1002");
            JsonNode page = JSON.readTree(client.get("/v1/extensions?limit=1&total=true&q=100").body().string());
            assertThat(page.get("total").asLong()).isEqualTo(3);
            assertThat(page.get("items").size()).isEqualTo(1);
            JsonNode next = JSON.readTree(client.get("/v1/extensions?limit=1&total=true&q=100&cursor="
                    + page.get("next_cursor").asText()).body().string());
            assertThat(next.get("items").get(0).get("number").asText()).isEqualTo("1002");
            assertThat(next.get("total").asLong()).isEqualTo(3);
            assertThat(JSON.readTree(client.get("/v1/extensions").body().string()).get("total").isNull()).isTrue();
            assertProblem(client.get("/v1/extensions?total=maybe"), 400, "total");
            Response all = client.request("/v1/extensions", b -> b.header("Accept", "text/csv"));
            assertThat(all.body().string().split("\r\n")).hasSize(4).doesNotContain(GOOD);
        });
    }

    @Test
    void refusesBadInputWithProblemsNamingLineAndFieldAndWritesNothing() throws Exception {
        JavalinTest.test(server.app(), (srv, client) -> {
            JsonNode rows = assertProblem(csv(client, "/v1/extensions/import",
                    "number,password,email\n1001," + GOOD + ",a@b\n10 02," + GOOD + ",\n1003,short,\n"), 400, null);
            assertThat(rows.get("errors").size()).isEqualTo(2);
            assertThat(rows.get("errors").get(0).get("line").asLong()).isEqualTo(3);
            assertThat(rows.get("errors").get(0).get("field").asText()).isEqualTo("number");
            assertThat(rows.get("errors").get(1).get("line").asLong()).isEqualTo(4);
            assertThat(rows.get("errors").get(1).get("field").asText()).isEqualTo("password");
            assertThat(rows.toString()).doesNotContain("short");

            assertProblem(csv(client, "/v1/extensions/import", "number,colour\n1,red\n"), 400, "csv");
            assertProblem(csv(client, "/v1/extensions/import", "number,display_name\n1,x\n"), 400, "csv");
            assertProblem(csv(client, "/v1/extensions/import", ""), 400, "body");
            assertProblem(csv(client, "/v1/extensions/import?mode=merge", "number,password\n"), 400, "mode");
            // broken text late in the body refuses the whole body even in skip mode
            assertProblem(csv(client, "/v1/extensions/import?mode=skip", "number,password\n1001," + GOOD
                    + "\n\"1002," + GOOD + "\n"), 400, "csv");
            Response notUtf8 = client.request("/v1/extensions/import?mode=skip", b -> b
                    .post(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'n', 'u', 'm', 'b', 'e', 'r', ',',
                        'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '\n', '1', ',', (byte) 0xC3, (byte) 0x28, '\n'}))
                    .header("Content-Type", "text/csv"));
            assertProblem(notUtf8, 400, "csv");
            Response json = client.request("/v1/extensions/import", b -> b
                    .post(HttpRequest.BodyPublishers.ofString("[]")).header("Content-Type", "application/json"));
            assertProblem(json, 415, null);
            StringBuilder tooMany = new StringBuilder("number,password\n");
            for (int i = 0; i <= ExtensionRoutes.MAX_CSV_ROWS; i++) {
                tooMany.append(i).append(',').append(GOOD).append('\n');
            }
            assertProblem(csv(client, "/v1/extensions/import?mode=skip", tooMany.toString()), 413, null);
            assertThat(count()).isZero();
        });
    }

    @Test
    void concurrentImportsOverTheApiEachSeeEveryRowOnce() throws Exception {
        StringBuilder text = new StringBuilder("number,password\n");
        for (int i = 0; i < 2000; i++) {
            text.append("k").append(i).append(',').append(GOOD).append('\n');
        }
        JavalinTest.test(server.app(), (srv, client) -> {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<JsonNode>> answers = new ArrayList<>();
                for (String mode : List.of("skip", "skip", "update")) {
                    answers.add(pool.submit(() -> JSON.readTree(csv(client, "/v1/extensions/import?mode=" + mode,
                            text.toString()).body().string())));
                }
                long created = 0;
                for (Future<JsonNode> f : answers) {
                    JsonNode r = f.get();
                    assertThat(r.get("failed").asLong()).as(r.toString()).isZero();
                    assertThat(r.get("created").asLong() + r.get("updated").asLong() + r.get("skipped").asLong())
                            .isEqualTo(2000);
                    created += r.get("created").asLong();
                }
                assertThat(created).isEqualTo(2000);
                assertThat(count()).isEqualTo(2000);
            } finally {
                pool.shutdownNow();
            }
        });
    }

    private static long count() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM extensions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}

package io.ominis.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.ContractCheck;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.javalin.testtools.JavalinTest;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminDbRoutesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void answersTheSpecsMonitoringQuestions() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO extensions (number, password) VALUES ('1001', 'pw')");
            st.execute("SELECT * FROM extensions WHERE number = '1001'");
        }
        try (OminisServer server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource())) {
            ContractCheck.test(server.app(), (srv, client) -> {
                JsonNode tables = JSON.readTree(client.get("/v1/admin/db/tables").body().string());
                assertThat(names(tables, "name")).contains("extensions", "channels", "agents", "cdr", "acl_entries")
                        .doesNotContain("ominis_schema_history");
                JsonNode extensions = find(tables, "name", "extensions");
                assertThat(extensions.get("bytes").asLong()).isPositive();
                assertThat(extensions.get("pretty").asText()).matches("\\d+ (bytes|kB|MB)");

                JsonNode indexes = JSON.readTree(client.get("/v1/admin/db/indexes").body().string());
                assertThat(names(indexes, "index")).contains("extensions_pkey", "chidx1", "regindex1", "idx_agents_name");
                JsonNode unused = JSON.readTree(client.get("/v1/admin/db/indexes/unused").body().string());
                unused.forEach(i -> assertThat(i.get("scans").asLong()).isZero());

                JsonNode connections = JSON.readTree(client.get("/v1/admin/db/connections").body().string());
                assertThat(connections.get("connections").asLong()).isPositive();
                assertThat(client.get("/v1/admin/db/queries").code()).isEqualTo(200);

                JsonNode history = JSON.readTree(client.get("/v1/admin/db/migrations").body().string());
                assertThat(names(history, "script")).contains("V1__freeswitch_core.sql", "V5__change_notifications.sql");
                assertThat(find(history, "version", "1").get("state").asText()).isEqualTo("Success");
            });
        }
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError(field + "=" + value + " not in " + array);
    }
}

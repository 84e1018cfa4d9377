package io.ominis.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.RejectedRowsException;
import io.ominis.core.directory.Extension;
import io.ominis.db.Database;
import io.ominis.examples.directory.DirectoryHttpServer;
import io.ominis.examples.javalin.MountInJavalin;
import io.ominis.examples.prompts.WarmPrompts;
import io.ominis.examples.provision.ProvisionFromCsv;
import io.ominis.examples.queues.QueueSummary;
import io.ominis.testing.OminisDatabase;
import io.ominis.tts.WarmReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example against the test database and checks what it prints or serves. */
class ExamplesTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", pg.host());
        env.put("DB_PORT", Integer.toString(pg.port()));
        env.put("DB_NAME", pg.databaseName());
        env.put("DB_USER", pg.user());
        if (pg.password() != null) {
            env.put("DB_PASS", pg.password());
        }
        return env;
    }

    @Test
    void directoryInAPlainHttpServer() throws Exception {
        Database.create(pg.dataSource()).extensions().create(Extension.of("4001", "Winnipeg-2025x"));
        try (DirectoryHttpServer server = DirectoryHttpServer.start(env(), 0)) {
            // what mod_sofia sends for the digest auth of a REGISTER, trimmed to the fields that matter
            String form = "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=example.com"
                    + "&Event-Name=REQUEST_PARAMS&action=sip_auth&sip_profile=internal&sip_auth_username=4001"
                    + "&sip_auth_realm=example.com&user=4001&domain=example.com";
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/directory")).POST(HttpRequest.BodyPublishers.ofString(form))
                    .header("Content-Type", "application/x-www-form-urlencoded").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("<user id=\"4001\"").contains("Winnipeg-2025x");
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/directory?" + form.replace("4001", "4999"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.body()).contains("status=\"not found\"");
        }
    }

    @Test
    void provisionFromCsvAllOrNothing() throws Exception {
        Path csv = dir.resolve("people.csv");
        Files.writeString(csv, """
                # kind,number,password,display name
                extension,5001,Winnipeg-2025a,Front desk
                extension,5002,Winnipeg-2025b,Back office
                ivr,reception,Welcome to Acme. Press 1 for sales.
                """);
        String out = capture(o -> ProvisionFromCsv.run(env(), csv, o));
        assertThat(out).contains("created 2 extensions and 1 IVRs");
        Database db = Database.create(pg.dataSource());
        assertThat(db.extensions().get("5002").displayName()).isEqualTo("Back office");
        assertThat(db.ivrMenus().list("reception")).hasSize(1);

        Path again = dir.resolve("again.csv");
        Files.writeString(again, "extension,5003,Winnipeg-2025c,New\nextension,5001,Winnipeg-2025d,Taken\n");
        assertThatThrownBy(() -> ProvisionFromCsv.run(env(), again, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(RejectedRowsException.class).hasMessageContaining("already exists");
        assertThat(db.extensions().find("5003")).isEmpty();
    }

    @Test
    void queueSummaryOfLiveState() throws Exception {
        sql("INSERT INTO agents (name, status, state) VALUES ('1000@default', 'Available', 'Waiting'), "
                + "('1001@default', 'On Break', 'Waiting')");
        sql("INSERT INTO tiers (queue, agent, state, level, position) VALUES "
                + "('sales@default', '1000@default', 'Ready', 1, 1), ('sales@default', '1001@default', 'Ready', 1, 2)");
        sql("INSERT INTO members (queue, uuid, session_uuid, cid_number, state, joined_epoch) VALUES "
                + "('sales@default', 'm-1', 's-1', '5551234', 'Waiting', 1)");
        String out = capture(o -> QueueSummary.run(env(), o));
        assertThat(out).containsPattern("sales@default\\s+2\\s+1\\s+1");
    }

    @Test
    void mountInAnExistingJavalinApp() throws Exception {
        try (MountInJavalin app = MountInJavalin.start(env(), 0)) {
            String base = "http://127.0.0.1:" + app.port();
            assertThat(get(base + "/").body()).isEqualTo("my own app");
            assertThat(get(base + "/ominis/health/live").body()).contains("\"status\"");
            HttpResponse<String> missing = get(base + "/ominis/v1/extensions/none");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
    }

    @Test
    void warmPromptsWithACustomProvider() throws Exception {
        sql("INSERT INTO ivrs (name) VALUES ('warm')");
        sql("INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES ('warm', 'main', 'Hello from the tone')");
        StringBuilder printed = new StringBuilder();
        WarmReport[] report = new WarmReport[1];
        printed.append(capture(o -> report[0] = WarmPrompts.run(env(), "warm", dir.resolve("audio"), o)));
        assertThat(report[0].complete()).isTrue();
        assertThat(printed.toString()).contains("main");
        Path file = Path.of(report[0].prompts().get(0).file());
        assertThat(Files.readAllBytes(file)).startsWith("RIFF".getBytes(StandardCharsets.US_ASCII));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Printing {
        void run(PrintStream out) throws Exception;
    }

    private static String capture(Printing work) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            work.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}

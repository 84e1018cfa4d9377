package io.ominis.server;

import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.api.OminisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.ConfigurationException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.testing.OminisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, defect 9: settings that used to be taken silently stop start-up with one line before anything is
 * migrated; the bearer scheme is case-insensitive; {@code /health/ready} keeps node URLs and errors to operators.
 */
class SafeDefaultsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String TOKEN = "a-token-of-24-characters";

    @Test
    void wrongSettingsStopStartUpWithOneLineBeforeMigrating() {
        // a database nothing listens on: had serve got as far as migrating, the line would be about the database
        Map<String, String> dead = Map.of("DB_DSN", "postgresql://postgres@127.0.0.1:1/ominis", "PORT", "0");
        for (Map.Entry<String, String> wrong : Map.of(
                "OMINIS_LOG_LEVEL", "LOUD",
                "OMINIS_BIND", "203.0.113.9",
                "DB_DSN", "postgresql://postgres@127.0.0.1:1/").entrySet()) {
            Map<String, String> env = new HashMap<>(dead);
            env.put(wrong.getKey(), wrong.getValue());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"serve"}, env, new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(code).as("%s", wrong).isEqualTo(2);
            assertThat(err.toString().strip()).as("%s", wrong).doesNotContain("\n")
                    .startsWith("ominis serve: " + wrong.getKey() + ": ").doesNotContain("database unavailable");
        }
        assertThat(ServerSettings.fromEnvironment(Map.of("OMINIS_LOG_LEVEL", "debug")).bindHost()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_DSN", "postgresql://u@db:5432")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("names no database");
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndHealthDetailsAreForOperators() throws Exception {
        String here = nonLoopbackAddress();
        Assumptions.assumeTrue(here != null, "no non-loopback address to call from");
        ServerSettings settings = ServerFixture.settings(db, Map.of("OMINIS_API_TOKEN", TOKEN, "PORT", "0",
                "OMINIS_FREESWITCH_NODES", "fs1=http://freeswitch:secret@127.0.0.1:1"));
        try (OminisServer server = OminisServer.create(settings, db.dataSource(), FreeSwitchNodes.create(settings.freeSwitch()))
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            for (String scheme : java.util.List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + here + ":"
                        + server.port() + "/v1/extensions")).header("Authorization", scheme + " " + TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(scheme).isEqualTo(200);
            }
            assertThat(get(http, "http://" + here + ":" + server.port() + "/v1/extensions", "Bearer wrong-token")
                    .statusCode()).isEqualTo(401);

            JsonNode anonymous = ready(http, "http://" + here + ":" + server.port(), null);
            assertThat(anonymous.has("status")).isTrue();
            assertThat(anonymous.path("checks").has("database")).isTrue();
            assertThat(anonymous.has("freeswitch")).isFalse();
            assertThat(anonymous.toString()).doesNotContain("127.0.0.1:1").doesNotContain("fs1");
            assertThat(ready(http, "http://" + here + ":" + server.port(), "bearer " + TOKEN).has("freeswitch"))
                    .isTrue();
            assertThat(ready(http, "http://127.0.0.1:" + server.port(), null).has("freeswitch")).isTrue();
        }
    }

    private static JsonNode ready(HttpClient http, String base, String authorization) throws Exception {
        return new ObjectMapper().readTree(get(http, base + "/health/ready", authorization).body());
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this host other than loopback, so that the server sees a remote caller. */
    private static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }
}

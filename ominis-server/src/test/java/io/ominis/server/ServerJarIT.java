package io.ominis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged server jar, started as {@code bin/ominis} and operators start it ({@code java -jar … serve}), in its own
 * JVM: migrates an empty database, answers {@code /health/ready}, logs through logback, and knows a FreeSWITCH node
 * (which needs the XML-RPC client's OkHttp in the jar). Runs after {@code package} (failsafe), because only then is
 * there a jar: a dependency that a scope or the shade plugin dropped shows here and in no unit test.
 */
class ServerJarIT {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.empty();

    @Test
    void theJarServesFromAnEmptyDatabase() throws Exception {
        Path jar = Path.of("target", "ominis-server.jar");
        assertThat(jar).as("the shaded jar built by package").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("ominis-server-jar", ".log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DB_HOST", db.host());
        pb.environment().put("DB_PORT", Integer.toString(db.port()));
        pb.environment().put("DB_NAME", db.databaseName());
        pb.environment().put("DB_USER", db.user());
        if (db.password() != null) {
            pb.environment().put("DB_PASS", db.password());
        }
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("OMINIS_BIND", "127.0.0.1");
        pb.environment().put("OMINIS_FREESWITCH_NODES", "node1=http://freeswitch:works-4-me@127.0.0.1:9");
        pb.environment().put("OMINIS_TTS_DIR", Files.createTempDirectory("ominis-tts").toString());
        Process server = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            int status = 0;
            String body = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && server.isAlive()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/health/live")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                    if (status == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            String output = Files.readString(log);
            assertThat(status).as("/health/live of the jar; its output:\n%s", output).isEqualTo(200);
            assertThat(body).contains("UP");
            try (var c = db.connect(); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM ominis_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("migrations applied by serve").isGreaterThan(5);
            }
            assertThat(output).as("logging works (a logback line, no SLF4J fallback)")
                    .doesNotContain("SLF4J(E)", "SLF4J(W)", "NoClassDefFoundError", "ClassNotFoundException")
                    .contains("INFO");
        } finally {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}

package io.ominis.bench;

import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Ominis server jar as the benchmarks on a real FreeSWITCH run it: its own JVM, a fresh database, the CLI for
 * {@code migrate} and {@code freeswitch-config}, {@code serve} in the background.
 */
final class OminisProcess {

    private final Path serverJar;
    private final Map<String, String> env;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A server on a free loopback port over a database {@code dbName}, dropped and created again here. */
    OminisProcess(Path serverJar, String dbName, Path work) throws Exception {
        this.serverJar = serverJar;
        this.port = freePort();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + dbName);
        }
        env = new LinkedHashMap<>();
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", "5432");
        env.put("DB_NAME", dbName);
        env.put("DB_USER", "postgres");
        env.put("PORT", Integer.toString(port));
        env.put("OMINIS_BIND", "127.0.0.1");
        env.put("OMINIS_LOG_LEVEL", "WARN");
        env.put("OMINIS_TTS_DIR", work.resolve("tts").toString());
    }

    /** The JDBC URL of the server's database, for seeding and checks. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + env.get("DB_NAME") + "?user=postgres";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Tells the server about the node FreeSWITCH runs as (before {@link #start}). */
    void nodes(String setting) {
        env.put("OMINIS_FREESWITCH_NODES", setting);
    }

    /** Runs one CLI command to its end; fails with its output when it does not exit 0 within two minutes. */
    void exec(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", serverJar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
        }
    }

    /** Starts {@code serve} (512 MiB heap) with its output in {@code log}, and waits until it answers. */
    Process start(Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("java", "-Xms512m", "-Xmx512m", "-jar", serverJar.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("OMINIS_MIGRATE_ON_START", "false");
        Process server = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/live"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        server.destroy();
        throw new IllegalStateException("the Ominis server did not answer " + baseUrl() + "/health/live; see " + log);
    }

    /** What {@code freeswitch-config} generates for {@code fs}, as RealFreeSwitch takes it (path under conf/). */
    Map<String, byte[]> generatedConfiguration(RealFreeSwitch fs, Path work) {
        Map<String, String> genEnv = new LinkedHashMap<>(env);
        genEnv.put("OMINIS_FREESWITCH_SWITCHNAME", fs.switchName());
        genEnv.put("OMINIS_FREESWITCH_XMLRPC_USER", RealFreeSwitch.XMLRPC_USER);
        genEnv.put("OMINIS_FREESWITCH_XMLRPC_PASSWORD", RealFreeSwitch.XMLRPC_PASSWORD);
        Map<String, String> saved = new LinkedHashMap<>(env);
        try {
            Path out = work.resolve("generated-conf");
            if (Files.exists(out)) {
                try (Stream<Path> old = Files.walk(out)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            env.clear();
            env.putAll(genEnv);
            exec("freeswitch-config", "--out", out.toString(), "--server-url", baseUrl(),
                    "--xmlrpc-port", Integer.toString(fs.xmlRpcPort()));
            return RealFreeSwitch.readFolder(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            env.clear();
            env.putAll(saved);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

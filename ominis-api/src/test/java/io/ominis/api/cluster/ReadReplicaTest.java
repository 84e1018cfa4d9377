package io.ominis.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.testing.ReplicatedPostgres;
import io.ominis.testing.fault.TcpProxy;
import io.ominis.xmlrpc.SwitchControl;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Read replicas on real streaming replication: a server whose {@code OMINIS_DB_READ_DSN} names the standby (through a
 * TCP proxy, so the test can freeze it) reads live state there within the lag bound, falls back to the primary while
 * replay is paused past the bound or the standby is frozen, comes back when it catches up, and never writes to it.
 */
class ReadReplicaTest {

    @RegisterExtension
    static final ReplicatedPostgres pg = ReplicatedPostgres.builder().migrated().build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_LAG_MS = 1000;
    private static final Pattern METRIC = Pattern.compile("^(ominis_db_[a-z_]+)(\\{[^}]*\\})? (\\S+)$",
            Pattern.MULTILINE);

    private TcpProxy proxy;
    private Replica server;

    @BeforeEach
    void start() throws Exception {
        pg.awaitStreaming(Duration.ofSeconds(30));
        proxy = TcpProxy.to(pg.standby().host(), pg.standby().port());
        Map<String, String> env = new HashMap<>();
        env.put("DB_DSN", "postgresql://postgres@" + pg.primary().host() + ":" + pg.primary().port() + "/"
                + ReplicatedPostgres.DATABASE);
        env.put("OMINIS_DB_READ_DSN", "postgresql://postgres@127.0.0.1:" + proxy.port() + "/"
                + ReplicatedPostgres.DATABASE);
        env.put("OMINIS_DB_READ_MAX_LAG_MS", Long.toString(MAX_LAG_MS));
        env.put("OMINIS_DB_READ_TIMEOUT_MS", "1000");
        env.put("OMINIS_DB_READ_PROBE_INTERVAL_MS", "200");
        // the channel routes are this test's window on where reads go; with their in-memory copy they read neither
        env.put("OMINIS_CHANNEL_MIRROR", "false");
        env.put("PORT", "0");
        env.put("OMINIS_BIND", "127.0.0.1");
        env.put("OMINIS_MIGRATE_ON_START", "false");
        env.put("OMINIS_TTS_DIR", Files.createTempDirectory("ominis-readrep-tts").toString());
        server = new Replica(env, SwitchControl.NONE);
        awaitTrue("reads on the replica after start-up", Duration.ofSeconds(10), () -> "UP".equals(readCheck()));
    }

    @AfterEach
    void stop() throws Exception {
        try (Connection c = pg.standby().connect(ReplicatedPostgres.DATABASE); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_resume()");
        }
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aRowWrittenOnThePrimaryIsServedByTheReplicaWithinTheLagBound() throws Exception {
        Map<String, Double> before = metrics();
        String uuid = insertChannel();
        long written = System.nanoTime();
        // the request that found the row was sent this long after the write: an upper bound of the replica's delay
        // that does not count the HTTP round trip (long on a loaded machine)
        java.util.concurrent.atomic.AtomicLong sentAt = new java.util.concurrent.atomic.AtomicLong();
        awaitTrue("the channel served", Duration.ofSeconds(5), () -> {
            sentAt.set(System.nanoTime());
            return status("/v1/channels/" + uuid) == 200;
        });
        long seenMs = (sentAt.get() - written) / 1_000_000;
        System.out.println("[figures] row written on the primary served from the replica by a request sent "
                + seenMs + " ms after the write (answered after " + (System.nanoTime() - written) / 1_000_000 + " ms)");
        assertThat(seenMs).as("served within the lag bound").isLessThan(MAX_LAG_MS);

        Map<String, Double> after = metrics();
        assertThat(after.get("ominis_db_reads_total{target=\"replica\"}"))
                .isGreaterThan(before.get("ominis_db_reads_total{target=\"replica\"}"));
        assertThat(after.get("ominis_db_reads_total{target=\"primary\"}"))
                .as("no read went to the primary").isEqualTo(before.get("ominis_db_reads_total{target=\"primary\"}"));
        assertThat(after.get("ominis_db_replica_in_use")).isEqualTo(1.0);
        assertThat(after.get("ominis_db_replica_lag_seconds")).isLessThanOrEqualTo(MAX_LAG_MS / 1000.0);
        // the read pool's sessions on the standby are the only Ominis sessions there
        assertThat(standbySessions()).containsOnly("ominis-read");
    }

    @Test
    void pausedReplayPastTheBoundSendsReadsToThePrimaryUntilTheReplicaCatchesUp() throws Exception {
        try (Connection c = pg.standby().connect(ReplicatedPostgres.DATABASE); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_pause()");
        }
        String uuid = insertChannel();
        long written = System.nanoTime();
        // only the primary has the row: a 200 means the read went there
        awaitTrue("the channel served from the primary", Duration.ofSeconds(5),
                () -> status("/v1/channels/" + uuid) == 200);
        long fellBackMs = (System.nanoTime() - written) / 1_000_000;
        System.out.println("[figures] replay paused: reads on the primary " + fellBackMs + " ms after the write");
        assertThat(fellBackMs).as("fell back soon after the bound passed").isLessThan(MAX_LAG_MS + 2000);

        JsonNode health = JSON.readTree(server.get("/health/ready").body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("checks").path("readReplica").asText()).isEqualTo("BYPASSED");
        assertThat(health.path("read_replica").path("target").asText()).isEqualTo("primary");
        assertThat(health.path("read_replica").path("reason").asText()).contains("OMINIS_DB_READ_MAX_LAG_MS");
        assertThat(health.path("read_replica").path("lag_ms").asLong()).isGreaterThan(MAX_LAG_MS);
        Map<String, Double> paused = metrics();
        assertThat(paused.get("ominis_db_replica_in_use")).isEqualTo(0.0);
        assertThat(paused.get("ominis_db_replica_lag_seconds")).isGreaterThan(MAX_LAG_MS / 1000.0);
        assertThat(status("/v1/channels/" + uuid)).isEqualTo(200);
        assertThat(metrics().get("ominis_db_reads_total{target=\"primary\"}"))
                .isGreaterThan(paused.get("ominis_db_reads_total{target=\"primary\"}"));

        try (Connection c = pg.standby().connect(ReplicatedPostgres.DATABASE); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_resume()");
        }
        long resumed = System.nanoTime();
        awaitTrue("reads back on the replica", Duration.ofSeconds(5), () -> "UP".equals(readCheck()));
        System.out.println("[figures] replay resumed: reads on the replica again after "
                + (System.nanoTime() - resumed) / 1_000_000 + " ms");
        Map<String, Double> back = metrics();
        assertThat(status("/v1/channels/" + uuid)).isEqualTo(200);
        assertThat(metrics().get("ominis_db_reads_total{target=\"replica\"}"))
                .isGreaterThan(back.get("ominis_db_reads_total{target=\"replica\"}"));
        assertThat(back.get("ominis_db_replica_lag_seconds")).isLessThanOrEqualTo(MAX_LAG_MS / 1000.0);
    }

    @Test
    void aFrozenReplicaDoesNotHangReads() throws Exception {
        String uuid = insertChannel();
        pg.awaitReplayed(Duration.ofSeconds(10));
        assertThat(status("/v1/channels/" + uuid)).isEqualTo(200);

        proxy.freezeAll();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            assertThat(status("/v1/channels/" + uuid)).isEqualTo(200);
            assertThat(status("/v1/cdr?limit=5")).isEqualTo(200);
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        System.out.println("[figures] frozen replica: read pairs answered from the primary in " + millis + " ms");
        // one read may wait for the replica's timeout (1 s, a socket timeout of 2 s); then the replica is bypassed
        assertThat(millis.get(0)).as("first read after the freeze").isLessThan(5000);
        assertThat(millis.subList(1, millis.size())).as("later reads").allMatch(ms -> ms < 1000);
        JsonNode health = JSON.readTree(server.get("/health/ready").body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("checks").path("readReplica").asText()).isEqualTo("BYPASSED");

        proxy.restore();
        awaitTrue("reads back on the replica after the freeze", Duration.ofSeconds(15),
                () -> "UP".equals(readCheck()));
        double replicaReads = metrics().get("ominis_db_reads_total{target=\"replica\"}");
        assertThat(status("/v1/channels/" + uuid)).isEqualTo(200);
        assertThat(metrics().get("ominis_db_reads_total{target=\"replica\"}")).isGreaterThan(replicaReads);
    }

    @Test
    void writesAndDirectoryLookupsGoToThePrimaryOnly() throws Exception {
        for (int i = 0; i < 5; i++) {
            String number = Integer.toString(3000 + i);
            HttpResponse<String> created = server.json("POST", "/v1/extensions",
                    "{\"number\":\"" + number + "\",\"password\":\"Secret-" + number + "-pass\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(server.directory(number)).contains("Secret-" + number + "-pass");
        }
        try (Connection c = pg.primary().connect(ReplicatedPostgres.DATABASE); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM extensions WHERE number BETWEEN '3000' AND '3004'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5);
        }
        assertThat(standbySessions()).as("only the read pool connects to the standby").containsOnly("ominis-read");
    }

    private String insertChannel() throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (Connection c = pg.primary().connect(ReplicatedPostgres.DATABASE);
                java.sql.PreparedStatement st = c.prepareStatement(
                        "INSERT INTO channels (uuid, hostname, created_epoch) VALUES (?, 'fs1', 1760000000)")) {
            st.setString(1, uuid);
            st.executeUpdate();
        }
        return uuid;
    }

    /** The application names of the sessions on the standby's Ominis database, other than this one. */
    private static List<String> standbySessions() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = pg.standby().connect(ReplicatedPostgres.DATABASE); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT application_name FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private String readCheck() {
        try {
            return JSON.readTree(server.get("/health/ready").body()).path("checks").path("readReplica").asText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private int status(String path) {
        try {
            return server.get(path).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Double> metrics() throws Exception {
        Map<String, Double> values = new HashMap<>();
        Matcher m = METRIC.matcher(server.get("/metrics").body());
        while (m.find()) {
            String labels = m.group(2) == null ? "" : m.group(2).replace(",}", "}");
            values.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return values;
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}

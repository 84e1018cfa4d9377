package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ominis.testing.OminisDatabase;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Proves the generated odbc.ini with the real driver stack FreeSWITCH uses (unixODBC + psqlODBC): {@code isql} sends
 * the statements the way mod_callcenter and mod_odbc_cdr do (everything a quoted literal, local timestamps, unset
 * variables left out) and JDBC reads the rows back. Needs the Debian packages unixodbc and odbc-postgresql.
 */
class OdbcRoundTripTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String DEBIAN_DRIVER = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";

    @TempDir
    static Path conf;

    private static Path isql;

    @BeforeAll
    static void generateConfiguration() throws Exception {
        isql = onPath("isql");
        if (isql == null || onPath("odbcinst") == null) {
            fail("isql/odbcinst not found on PATH: this test needs a real ODBC stack. Install it with "
                    + "'apt-get install -y unixodbc odbc-postgresql' (Debian/Ubuntu) and run again.");
        }
        Map<String, String> env = Cli.databaseEnv(db);
        Cli run = Cli.run(env, "freeswitch-config", "--out", conf.toString(), "--odbc-dsn-name", "ominis_test");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // ODBCSYSINI points unixODBC at this directory for odbcinst.ini, so the test names the driver itself
        Files.writeString(conf.resolve("odbcinst.ini"), "[PostgreSQL Unicode]\nDescription = psqlODBC\nDriver = "
                + driverPath() + "\n");
    }

    @Test
    void callcenterAndCdrStatementsThroughIsqlLandInPostgres() throws Exception {
        String memberUuid = "7d3c1a52-4c0e-4d6f-9a0b-1f2e3d4c5b6a";
        String callUuid = "0b9a8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d";
        List<String> sql = new ArrayList<>();
        // mod_callcenter 'agent add' (mod_callcenter.c l. 890)
        sql.add("INSERT INTO agents (name, instance_id, type, status, state) "
                + "VALUES('1000@default', 'single_box', 'Callback', 'Logged Out', 'Waiting')");
        // 'member join': numbers arrive quoted; a caller name with a quote is doubled as switch_mprintf's %q does
        sql.add("INSERT INTO members (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,"
                + "skill_score,cid_number,cid_name,serving_agent,serving_system,state) VALUES('support@default',"
                + "'single_box','" + memberUuid + "','" + callUuid + "','1760000000','1760000000','0','0','1001',"
                + "'Ann O''Brien','ring-all','','Waiting')");
        sql.add(cdrInsertFromGeneratedConfig(callUuid));

        String output = runIsql(sql);

        try (Connection c = db.connect()) {
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT status, state, instance_id, type, external_calls_count FROM agents WHERE name = ?
                    """)) {
                st.setString(1, "1000@default");
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).as(output).isTrue();
                    assertThat(rs.getString("status")).isEqualTo("Logged Out");
                    assertThat(rs.getString("state")).isEqualTo("Waiting");
                    assertThat(rs.getInt("external_calls_count")).isZero();
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT session_uuid, joined_epoch, cid_name, state FROM members WHERE uuid = ?
                    """)) {
                st.setString(1, memberUuid);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).as(output).isTrue();
                    assertThat(rs.getString("session_uuid")).isEqualTo(callUuid);
                    assertThat(rs.getInt("joined_epoch")).isEqualTo(1_760_000_000);
                    assertThat(rs.getString("cid_name")).isEqualTo("Ann O'Brien");
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT caller_id_name, start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause,
                           queue_name, agent_name, member_state, switch_name, json_cdr, created_at
                      FROM cdr WHERE uuid = ?
                    """)) {
                st.setString(1, callUuid);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).as(output).isTrue();
                    assertThat(rs.getString("caller_id_name")).isEqualTo("Ann O'Brien");
                    assertThat(rs.getTimestamp("start_stamp").toLocalDateTime())
                            .isEqualTo(LocalDateTime.of(2025, 10, 14, 12, 30, 1));
                    assertThat(rs.getTimestamp("answer_stamp")).as("unanswered: no answer_stamp").isNull();
                    assertThat(rs.getTimestamp("end_stamp").toLocalDateTime())
                            .isEqualTo(LocalDateTime.of(2025, 10, 14, 12, 30, 43));
                    assertThat(rs.getInt("duration")).isEqualTo(42);
                    assertThat(rs.getInt("billsec")).isZero();
                    assertThat(rs.getString("hangup_cause")).isEqualTo("NO_ANSWER");
                    assertThat(rs.getString("queue_name")).isEqualTo("support@default");
                    assertThat(rs.getString("agent_name")).isNull();
                    assertThat(rs.getString("member_state")).isEqualTo("cancel");
                    assertThat(rs.getString("switch_name")).isEqualTo("fs-queue-0");
                    assertThat(rs.getString("json_cdr")).isNull();
                    Timestamp created = rs.getTimestamp("created_at");
                    assertThat(created).isNotNull();
                }
            }
        }
    }

    /**
     * Builds the INSERT mod_odbc_cdr would send for an unanswered queue call, from the generated odbc_cdr.conf: one
     * column per field whose channel variable is set, every value single-quoted with quotes doubled.
     */
    private static String cdrInsertFromGeneratedConfig(String uuid) throws Exception {
        Map<String, String> channel = new HashMap<>();
        channel.put("uuid", uuid);
        channel.put("caller_id_name", "Ann O'Brien");
        channel.put("caller_id_number", "1001");
        channel.put("destination_number", "5000");
        channel.put("context", "default");
        channel.put("start_stamp", "2025-10-14 12:30:01");
        channel.put("end_stamp", "2025-10-14 12:30:43");
        channel.put("duration", "42");
        channel.put("billsec", "0");
        channel.put("hangup_cause", "NO_ANSWER");
        channel.put("cc_queue", "support@default");
        channel.put("cc_cause", "cancel");
        channel.put("hostname", "fs-queue-0");

        NodeList fields = FreeSwitchConfigCommandTest.parse(conf.resolve("autoload_configs/odbc_cdr.conf.xml"))
                .getElementsByTagName("field");
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < fields.getLength(); i++) {
            Element f = (Element) fields.item(i);
            String value = channel.get(f.getAttribute("chan-var-name"));
            if (value != null) {
                row.put(f.getAttribute("name"), "'" + value.replace("'", "''") + "'");
            }
        }
        assertThat(row).containsKeys("uuid", "start_stamp", "queue_name", "member_state", "switch_name")
                .doesNotContainKey("answer_stamp");
        return "INSERT INTO cdr (" + String.join(",", row.keySet()) + ") VALUES (" + String.join(",", row.values()) + ")";
    }

    private static String runIsql(List<String> statements) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(isql.toString(), "-b", "-v", "ominis_test");
        pb.environment().put("ODBCINI", conf.resolve("odbc.ini").toString());
        pb.environment().put("ODBCSYSINI", conf.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            // isql's batch mode runs one statement per line
            in.write((String.join("\n", statements) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("isql finished").isTrue();
        assertThat(p.exitValue()).as("isql exit code; output:%n%s", output).isZero();
        // isql -b exits 0 even when a statement failed; the error text (merged from stderr) is what shows it
        assertThat(output).as("isql output").doesNotContain("[ISQL]ERROR").doesNotContainIgnoringCase("error");
        return output;
    }

    /** The psqlODBC library as the system's odbcinst.ini registers it, else Debian's path. */
    private static String driverPath() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("odbcinst", "-q", "-d", "-n", "PostgreSQL Unicode").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        for (String line : out.split("\n")) {
            if (line.startsWith("Driver=") && Files.exists(Path.of(line.substring(7).strip()))) {
                return line.substring(7).strip();
            }
        }
        if (Files.exists(Path.of(DEBIAN_DRIVER))) {
            return DEBIAN_DRIVER;
        }
        throw new AssertionError("psqlODBC driver 'PostgreSQL Unicode' not registered and " + DEBIAN_DRIVER
                + " missing: install it with 'apt-get install -y odbc-postgresql'");
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

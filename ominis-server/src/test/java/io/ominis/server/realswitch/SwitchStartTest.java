package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real FreeSWITCH started on a migrated database with the generated configuration keeps our schema. */
class SwitchStartTest {

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    /** The schema as the migrations left it, read before FreeSWITCH first starts. */
    static Schema before;

    @RegisterExtension
    @Order(2)
    static final BeforeAllCallback snapshot = context -> before = Schema.read(db);

    static final SwitchFixture sw = SwitchFixture.create(db);

    @RegisterExtension
    @Order(3)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(4)
    static final RealFreeSwitch fs = sw.fs;

    @Test
    void keepsEveryTableAndColumnAsMigratedAcrossARestart() throws Exception {
        Schema running = Schema.read(db);
        fs.stop();
        fs.start();
        Schema restarted = Schema.read(db);
        assertThat(running.oids()).containsKeys("channels", "calls", "registrations", "agents", "tiers", "members",
                "cdr", "extensions", "detailed_calls", "basic_calls", "interfaces");
        assertThat(running).as("schema after FreeSWITCH started, against the migrated one").isEqualTo(before);
        assertThat(restarted).as("schema after a restart").isEqualTo(before);
        List<String> lines = fs.logLines();
        assertThat(lines).noneMatch(l -> l.matches(".*DROP TABLE (channels|calls|registrations|recovery|complete|"
                + "aliases|tasks|nat|interfaces|agents|tiers|members)\\b.*"));
        assertThat(lines).noneMatch(l -> l.contains("[ERR]") && l.contains("SQL"));
        // interfaces.hostname is the OS host name, not switchname (seen on 1.10.12)
        long deadline = System.nanoTime() + 10_000_000_000L;
        long interfaces;
        while ((interfaces = count("SELECT count(*) FROM interfaces")) < 100
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(interfaces).as("interfaces FreeSWITCH wrote into PostgreSQL; all rows: "
                + text("SELECT string_agg(DISTINCT hostname, ',') || ' ' || count(*) FROM interfaces"))
                .isGreaterThan(100);
    }

    @Test
    void callCenterAndCdrsUsePostgresNotSqlite() throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(fs.home().resolve("db"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("SQLite files FreeSWITCH made in its db folder").noneMatch(n -> n.contains("callcenter")
                            || n.startsWith("ominis") || n.contains("odbc_cdr") || n.startsWith("core"));
        }
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name <> 'PostgreSQL JDBC Driver' AND pid <> pg_backend_pid()"))
                .as("FreeSWITCH's own ODBC connections").isPositive();
    }

    static String text(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every relation's OID and every table's columns with their types. */
    record Schema(Map<String, Long> oids, Map<String, String> columns) {

        static Schema read(OminisDatabase db) {
            try (Connection c = db.connect()) {
                return read(c);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        static Schema read(Connection c) throws java.sql.SQLException {
            Map<String, Long> oids = new TreeMap<>();
            Map<String, String> columns = new TreeMap<>();
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("""
                        SELECT c.relname, c.oid::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p', 'i')""")) {
                    while (rs.next()) {
                        oids.put(rs.getString(1), rs.getLong(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("""
                        SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
                        FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name""")) {
                    while (rs.next()) {
                        columns.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return new Schema(oids, columns);
        }
    }
}

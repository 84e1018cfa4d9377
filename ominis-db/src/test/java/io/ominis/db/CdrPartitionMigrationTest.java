package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.cdr.CdrFilter;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration V7 converting a plain {@code cdr} that already holds records (a database running V1 to V5) into the
 * partitioned table, in place.
 */
class CdrPartitionMigrationTest {

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    @Test
    void convertsThePlainTableKeepingEveryRowIndexAndGrant() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("v7"));
        // the schema as it was before partitioning, with the settings of Migrations
        MigrationsTest.migrateTo(ds, "5");
        assertThat(strings(ds, "SELECT relkind::text FROM pg_class WHERE relname = 'cdr'")).containsExactly("r");

        String role = "ot_cdr_writer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try {
            execute(ds,
                    FreeSwitch.cdrAnswered("jan", "2024-01-31 23:59:59", "2024-02-01 00:00:04", "2024-02-01 00:01:04",
                            "support@default", "1000@default", "fs1"),
                    FreeSwitch.cdrUnanswered("mar", "2024-03-15 12:00:00", "2024-03-15 12:00:20", "NO_ANSWER", "fs1"),
                    "INSERT INTO cdr (uuid, caller_id_number) VALUES ('undated', '5551000')",
                    FreeSwitch.cdrUnanswered("far-past", "2001-01-01 00:00:00", "2001-01-01 00:00:20", "NO_ANSWER", "fs1"),
                    // an index a later migration or an operator added must survive the conversion
                    "CREATE INDEX idx_cdr_context ON cdr (context) WHERE context <> 'default'",
                    // FreeSWITCH's least-privilege role as db-roles leaves it: INSERT on cdr only
                    "CREATE ROLE " + role,
                    "GRANT INSERT ON cdr TO " + role);
            List<List<String>> before = rows(ds, "SELECT * FROM cdr ORDER BY uuid");

            Migrations.Result result = Migrations.migrate(ds);

            assertThat(result.applied()).extracting(Migrations.AppliedMigration::version).contains("7");
            assertThat(strings(ds, "SELECT relkind::text FROM pg_class WHERE relname = 'cdr'")).containsExactly("p");
            assertThat(strings(ds, "SELECT count(*) FROM pg_class WHERE relname = 'cdr_unpartitioned'"))
                    .containsExactly("0");
            assertThat(rows(ds, "SELECT * FROM cdr ORDER BY uuid")).isEqualTo(before);
            assertThat(rows(ds, "SELECT uuid, tableoid::regclass::text FROM cdr ORDER BY uuid")).containsExactly(
                    List.of("far-past", "cdr_default"),
                    List.of("jan", "cdr_y2024m01"),
                    List.of("mar", "cdr_y2024m03"),
                    List.of("undated", "cdr_default"));

            // the months holding rows (within ten years), then the current month and three ahead
            YearMonth now = YearMonth.now();
            List<String> expected = new ArrayList<>(List.of("cdr_y2024m01", "cdr_y2024m03"));
            for (YearMonth m = now; !m.isAfter(now.plusMonths(3)); m = m.plusMonths(1)) {
                expected.add(CdrPartitions.partitionName(m));
            }
            expected.add("cdr_default");
            assertThat(new CdrPartitions(ds).list()).extracting(CdrPartitions.Partition::name)
                    .containsExactlyElementsOf(expected);

            assertThat(strings(ds, "SELECT indexrelid::regclass::text FROM pg_index "
                    + "WHERE indrelid = 'cdr_y2024m03'::regclass ORDER BY 1")).containsExactly("idx_cdr_agent_y2024m03",
                    "idx_cdr_context_y2024m03", "idx_cdr_hangup_y2024m03", "idx_cdr_queue_y2024m03",
                    "idx_cdr_start_y2024m03", "idx_cdr_switch_y2024m03", "idx_cdr_uuid_y2024m03");

            // the DAO reads the converted rows; uniqueness covers rows that predate the trigger
            Database database = Database.create(ds);
            assertThat(database.cdr().list(CdrFilter.ANY, null, 10).items()).extracting(Cdr::uuid)
                    .containsExactly("mar", "jan", "far-past");
            assertThat(database.cdr().get("jan").answerStamp()).isEqualTo(LocalDateTime.of(2024, 2, 1, 0, 0, 4));
            assertThatThrownBy(() -> database.cdr().insert(new Cdr("mar", null, null, null, null,
                    LocalDateTime.of(2024, 1, 2, 0, 0), null, null, null, null, null, null, null, null, null, null,
                    null, null))).isInstanceOf(AlreadyExistsException.class);

            // FreeSWITCH's role still inserts, with nothing but its INSERT privilege
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("SET ROLE " + role);
                st.execute(FreeSwitch.cdrUnanswered("as-freeswitch", "2024-03-16 12:00:00", "2024-03-16 12:00:20",
                        "NO_ANSWER", "fs1"));
                assertThatThrownBy(() -> st.execute(FreeSwitch.cdrUnanswered("jan", "2024-03-16 12:00:00",
                        "2024-03-16 12:00:20", "NO_ANSWER", "fs1")))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("23505"));
                st.execute("RESET ROLE");
            }
            assertThat(database.cdr().get("as-freeswitch").hangupCause()).isEqualTo("NO_ANSWER");
        } finally {
            execute(ds, "DROP OWNED BY " + role, "DROP ROLE IF EXISTS " + role);
        }
    }

    static void execute(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    private static List<String> strings(DataSource ds, String sql) throws SQLException {
        return rows(ds, sql).stream().map(r -> r.get(0)).toList();
    }

    private static List<List<String>> rows(DataSource ds, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}

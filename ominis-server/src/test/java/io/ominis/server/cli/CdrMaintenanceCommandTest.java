package io.ominis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.db.CdrPartitions;
import io.ominis.server.Main;
import io.ominis.testing.OminisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CdrMaintenanceCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void createsAheadDropsOldMonthsAndSaysSo() throws Exception {
        new CdrPartitions(db.dataSource()).ensureMonths(YearMonth.of(2020, 1), YearMonth.of(2020, 1));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO cdr (uuid, start_stamp) VALUES ('old', '2020-01-15 10:00:00')");
        }
        Map<String, String> env = env();
        env.put("OMINIS_CDR_MONTHS_AHEAD", "5");
        env.put("OMINIS_CDR_RETENTION_MONTHS", "24");

        Run first = run(env, "cdr-maintenance");
        assertThat(first.err).isEmpty();
        assertThat(first.code).isZero();
        YearMonth now = YearMonth.now();
        assertThat(first.out)
                .contains("5 month(s) ahead, retention 24 month(s)")
                .contains("Created " + CdrPartitions.partitionName(now.plusMonths(4)))
                .contains("Created " + CdrPartitions.partitionName(now.plusMonths(5)))
                .contains("Retention: keeping " + now.minusMonths(24) + " onwards")
                .contains("Dropped cdr_y2020m01")
                .contains("- cdr_default DEFAULT")
                .contains("Done in ");

        Run second = run(env, "cdr-maintenance");
        assertThat(second.code).isZero();
        assertThat(second.out).contains("Partitions ahead: all present").contains("Dropped nothing");

        env.remove("OMINIS_CDR_RETENTION_MONTHS");
        assertThat(run(env, "cdr-maintenance").out).contains("Retention: keeping every month");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        CdrPartitions partitions = new CdrPartitions(db.dataSource());
        partitions.ensureMonths(YearMonth.of(2019, 3), YearMonth.of(2019, 3));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO cdr (uuid, start_stamp) VALUES ('dry-1', '2019-03-15 10:00:00'),"
                    + " ('dry-2', '2019-03-16 10:00:00'), ('dry-3', '2019-03-17 10:00:00')");
        }
        Map<String, String> env = env();
        env.put("OMINIS_CDR_MONTHS_AHEAD", "7");
        env.put("OMINIS_CDR_RETENTION_MONTHS", "24");
        String before = catalog();

        Run dry = run(env, "cdr-maintenance", "--dry-run");
        assertThat(dry.err).isEmpty();
        assertThat(dry.code).isZero();
        YearMonth now = YearMonth.now();
        assertThat(dry.out).contains("Dry run: nothing is changed")
                .contains("Would create " + CdrPartitions.partitionName(now.plusMonths(7)))
                .contains("Would drop cdr_y2019m03")
                // never analysed (reltuples -1): counted, not shown as 0
                .contains("- cdr_y2019m03 [2019-03-01T00:00, 2019-04-01T00:00) 3 rows (counted)")
                .doesNotContain("Created ").doesNotContain("Dropped ");
        assertThat(catalog()).isEqualTo(before);

        Run real = run(env, "cdr-maintenance");
        assertThat(real.out).contains("Created " + CdrPartitions.partitionName(now.plusMonths(7)))
                .contains("Dropped cdr_y2019m03");
        assertThat(catalog()).isNotEqualTo(before);
    }

    /** Every partition of cdr with its exact row count, and the rows of the whole table. */
    private static String catalog() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c"
                        + " ON c.oid = i.inhrelid WHERE i.inhparent = 'cdr'::regclass ORDER BY 1")) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
        }
        try (Connection c = db.connect(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM cdr")) {
            rs.next();
            b.append("rows=").append(rs.getLong(1));
        }
        return b.toString();
    }

    @Test
    void aWrongSettingIsNamedAndExitsTwo() {
        Map<String, String> env = env();
        env.put("OMINIS_CDR_RETENTION_MONTHS", "-3");
        Run r = run(env, "cdr-maintenance");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).startsWith("ominis cdr-maintenance: OMINIS_CDR_RETENTION_MONTHS:")
                .doesNotContain("\n");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        // as MigrateCommandTest: the DSN form with the user in it
        env.put("DB_DSN", db.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + db.user() + "@"));
        return env;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}

package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationsTest {

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    @RegisterExtension
    static final OminisDatabase migrated = OminisDatabase.migrated();

    private static final List<String> TABLES = List.of("acl_entries", "agents", "aliases", "callcenter_queues", "calls",
            "cdr", "channels", "complete", "domains", "extension_a1_hashes", "extensions", "freeswitch_node_sightings", "interfaces", "ivr_menu_options",
            "ivr_menus", "ivr_tts_cache", "ivrs", "members", "nat", "ominis_runs", "recovery", "registrations", "tasks",
            "tiers");

    @Test
    void migratesAnEmptyDatabaseAndTheSecondRunIsANoOp() throws SQLException {
        DataSource ds = dataSource(empty.createScratchDatabase("fresh"));
        Migrations.Result first = Migrations.migrate(ds);
        assertThat(first.applied()).extracting(Migrations.AppliedMigration::version)
                .containsExactly("1", "2", "3", "4", "5", "7", "8", "9", "10", "11", "12", "13", "14");
        assertThat(first.applied()).extracting(Migrations.AppliedMigration::script)
                .containsExactly("V1__freeswitch_core.sql", "V2__mod_callcenter.sql", "V3__cdr.sql",
                        "V4__ominis_tables.sql", "V5__change_notifications.sql", "V7__cdr_partitioned.sql",
                        "V8__no_expansion_in_json_and_sounds.sql", "V9__callcenter_queues.sql",
                        "V10__ivr_root_menu.sql", "V11__cluster_runs.sql",
                        "V12__freeswitch_node_sightings.sql", "V13__domains_and_a1_hashes.sql",
                        "V14__channel_notifications.sql");
        assertThat(first.schemaVersion()).isEqualTo("14");
        // cdr's partitions are tables too; they are CdrPartitionsTest's business
        assertThat(strings(ds, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_type = 'BASE TABLE' AND table_name <> 'ominis_schema_history' "
                + "AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition) "
                + "ORDER BY table_name"))
                .containsExactlyElementsOf(TABLES);
        assertThat(strings(ds, "SELECT table_name FROM information_schema.views WHERE table_schema = 'public' "
                + "ORDER BY table_name")).containsExactly("basic_calls", "detailed_calls");
        assertThat(Migrations.isCurrent(ds)).isTrue();

        Migrations.Result second = Migrations.migrate(ds);
        assertThat(second.applied()).isEmpty();
        assertThat(second.schemaVersion()).isEqualTo("14");
        assertThat(strings(ds, "SELECT count(*) FROM acl_entries")).containsExactly("3");
    }

    @Test
    void theTestExtensionsDatabasesAreAlreadyCurrent() {
        assertThat(Migrations.migrate(migrated.dataSource()).applied()).isEmpty();
        assertThat(Migrations.isCurrent(migrated.dataSource())).isTrue();
    }

    @Test
    void twoProcessesMigratingOneEmptyDatabaseAtOnceBothEndWell() throws Exception {
        String url = empty.createScratchDatabase("race");
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Migrations.Result>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                // each racer has its own data source, like separate server processes
                DataSource ds = dataSource(url);
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return Migrations.migrate(ds);
                }));
            }
            int appliedInTotal = 0;
            for (Future<Migrations.Result> r : results) {
                Migrations.Result result = r.get(60, TimeUnit.SECONDS);
                assertThat(result.schemaVersion()).isEqualTo("14");
                appliedInTotal += result.applied().size();
            }
            assertThat(appliedInTotal).isEqualTo(13);
        } finally {
            pool.shutdownNow();
        }
        DataSource ds = dataSource(url);
        assertThat(strings(ds, "SELECT count(*) FROM ominis_schema_history WHERE success AND version IS NOT NULL "
                + "AND version <> '0'")).containsExactly("13");
        assertThat(strings(ds, "SELECT count(*) FROM acl_entries")).containsExactly("3");
    }

    @Test
    void adoptsADatabaseWhereFreeSwitchAlreadyCreatedItsTablesAndKeepsTheirRows() throws SQLException {
        DataSource ds = dataSource(empty.createScratchDatabase("adopt"));
        execute(ds, "CREATE TABLE calls (call_uuid VARCHAR(255), call_created VARCHAR(128), call_created_epoch INTEGER, "
                + "caller_uuid VARCHAR(256), callee_uuid VARCHAR(256), hostname VARCHAR(256))");
        execute(ds, "create index callsidx1 on calls (hostname)");
        execute(ds, "INSERT INTO calls (call_uuid, caller_uuid, callee_uuid, hostname) VALUES ('c1', 'a', 'b', 'fs1')");

        Migrations.Result result = Migrations.migrate(ds);

        assertThat(result.schemaVersion()).isEqualTo("14");
        assertThat(strings(ds, "SELECT call_uuid FROM calls")).containsExactly("c1");
        assertThat(strings(ds, "SELECT count(*) FROM pg_indexes WHERE indexname = 'callsidx1'")).containsExactly("1");
    }

    @Test
    void listsTheHistory() {
        assertThat(Migrations.history(migrated.dataSource()))
                .extracting(m -> m.getVersion() == null ? "" : m.getVersion().getVersion())
                .contains("1", "2", "3", "4", "5", "7", "8");
    }

    /** Applies the migrations up to {@code version} only, with the settings of {@link Migrations}. */
    static void migrateTo(DataSource ds, String version) {
        org.flywaydb.core.Flyway.configure().dataSource(ds).locations(Migrations.LOCATION)
                .table(Migrations.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
                .placeholderReplacement(false).target(version).load().migrate();
    }

    static DataSource dataSource(String url) {
        return dataSource(empty, url);
    }

    /** A plain data source for {@code url} on the server of {@code server}, which must have started. */
    static DataSource dataSource(OminisDatabase server, String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(server.user());
        if (server.password() != null) {
            ds.setPassword(server.password());
        }
        return ds;
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

package io.ominis.db;

import static io.ominis.db.FreeSwitch.cdrAnswered;
import static io.ominis.db.FreeSwitch.cdrUnanswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.config.CdrSettings;
import io.ominis.core.cdr.Cdr;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The partitioned {@code cdr} of migration V7 and its maintenance, against a real PostgreSQL. "Now" is 15 June 2025
 * (a fixed clock), and every test starts from an empty table with only the default partition.
 */
class CdrPartitionsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Clock JUNE_2025 = Clock.fixed(LocalDateTime.of(2025, 6, 15, 12, 0).toInstant(ZoneOffset.UTC),
            ZoneOffset.UTC);

    private CdrPartitions partitions;
    private CdrDao cdr;

    @BeforeEach
    void setUp() throws SQLException {
        partitions = new CdrPartitions(db.dataSource(), JUNE_2025);
        cdr = Database.create(db.dataSource()).cdr();
        FreeSwitch.run(db, "DELETE FROM cdr");
        // the migration made the months around the real date; drop them so each test states what it needs
        for (CdrPartitions.Partition p : partitions.list()) {
            if (!p.isDefault()) {
                FreeSwitch.run(db, "DROP TABLE " + p.name());
            }
        }
    }

    @Test
    void rowsLandInTheirMonthAndUndatedOrUncoveredOnesInTheDefaultPartition() throws SQLException {
        partitions.ensureMonths(YearMonth.of(2025, 1), YearMonth.of(2025, 3));
        FreeSwitch.run(db,
                cdrAnswered("feb", "2025-02-10 09:00:00", "2025-02-10 09:00:05", "2025-02-10 09:01:05", "support",
                        "1000@default", "fs1"),
                cdrUnanswered("jan-first-second", "2025-01-01 00:00:00", "2025-01-01 00:00:20", "NO_ANSWER", "fs1"),
                cdrUnanswered("mar-last-second", "2025-03-31 23:59:59", "2025-04-01 00:00:19", "NO_ANSWER", "fs1"),
                cdrUnanswered("apr", "2025-04-01 00:00:00", "2025-04-01 00:00:20", "NO_ANSWER", "fs1"),
                cdrUnanswered("long-ago", "1999-12-31 23:59:59", "2000-01-01 00:00:19", "NO_ANSWER", "fs1"),
                "INSERT INTO cdr (uuid, caller_id_number) VALUES ('undated', '5551000')");

        assertThat(partitionOf("feb")).isEqualTo("cdr_y2025m02");
        assertThat(partitionOf("jan-first-second")).isEqualTo("cdr_y2025m01");
        assertThat(partitionOf("mar-last-second")).isEqualTo("cdr_y2025m03");
        assertThat(partitionOf("apr")).isEqualTo("cdr_default");
        assertThat(partitionOf("long-ago")).isEqualTo("cdr_default");
        assertThat(partitionOf("undated")).isEqualTo("cdr_default");
        // reads see one table
        assertThat(cdr.get("feb").answerStamp()).isEqualTo(LocalDateTime.of(2025, 2, 10, 9, 0, 5));
        assertThat(cdr.get("undated").startStamp()).isNull();
        assertThat(number("SELECT count(*) FROM cdr")).isEqualTo(6);
    }

    @Test
    void ensureAheadCreatesTheCurrentMonthAndTheNextOnesOnceAndListsThem() {
        List<CdrPartitions.Created> created = partitions.ensureAhead(3);
        assertThat(created).extracting(CdrPartitions.Created::name)
                .containsExactly("cdr_y2025m06", "cdr_y2025m07", "cdr_y2025m08", "cdr_y2025m09");
        assertThat(created).extracting(CdrPartitions.Created::movedFromDefault).containsOnly(0L);
        assertThat(partitions.ensureAhead(3)).isEmpty();
        assertThat(partitions.ensureAhead(4)).extracting(CdrPartitions.Created::month)
                .containsExactly(YearMonth.of(2025, 10));

        List<CdrPartitions.Partition> listed = partitions.list();
        assertThat(listed).extracting(CdrPartitions.Partition::name).containsExactly("cdr_y2025m06", "cdr_y2025m07",
                "cdr_y2025m08", "cdr_y2025m09", "cdr_y2025m10", "cdr_default");
        CdrPartitions.Partition june = listed.get(0);
        assertThat(june.from()).isEqualTo(LocalDateTime.of(2025, 6, 1, 0, 0));
        assertThat(june.to()).isEqualTo(LocalDateTime.of(2025, 7, 1, 0, 0));
        assertThat(june.isDefault()).isFalse();
        assertThat(june.bytes()).isPositive();
        CdrPartitions.Partition fallback = listed.get(listed.size() - 1);
        assertThat(fallback.isDefault()).isTrue();
        assertThat(fallback.from()).isNull();
        assertThat(fallback.to()).isNull();
    }

    @Test
    void creatingAMonthMovesItsRowsOutOfTheDefaultPartitionWithTheirIndexesAndUniqueness() throws SQLException {
        FreeSwitch.run(db,
                cdrUnanswered("jul-1", "2025-07-02 10:00:00", "2025-07-02 10:00:20", "NO_ANSWER", "fs1"),
                cdrUnanswered("jul-2", "2025-07-31 23:00:00", "2025-07-31 23:00:20", "NO_ANSWER", "fs1"),
                cdrUnanswered("aug-1", "2025-08-01 00:00:00", "2025-08-01 00:00:20", "NO_ANSWER", "fs1"),
                cdrUnanswered("dec", "2025-12-24 18:00:00", "2025-12-24 18:00:20", "NO_ANSWER", "fs1"));
        assertThat(partitionOf("jul-1")).isEqualTo("cdr_default");

        List<CdrPartitions.Created> created = partitions.ensureAhead(2);
        assertThat(created).extracting(CdrPartitions.Created::name, CdrPartitions.Created::movedFromDefault)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cdr_y2025m06", 0L),
                        org.assertj.core.groups.Tuple.tuple("cdr_y2025m07", 2L),
                        org.assertj.core.groups.Tuple.tuple("cdr_y2025m08", 1L));
        assertThat(partitionOf("jul-1")).isEqualTo("cdr_y2025m07");
        assertThat(partitionOf("jul-2")).isEqualTo("cdr_y2025m07");
        assertThat(partitionOf("aug-1")).isEqualTo("cdr_y2025m08");
        assertThat(partitionOf("dec")).isEqualTo("cdr_default");
        assertThat(number("SELECT count(*) FROM cdr")).isEqualTo(4);

        // the new month carries every index of the parent, named after it, and the uniqueness trigger
        assertThat(strings("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'cdr_y2025m07'::regclass "
                + "ORDER BY 1")).containsExactly("idx_cdr_agent_y2025m07", "idx_cdr_hangup_y2025m07",
                "idx_cdr_queue_y2025m07", "idx_cdr_start_y2025m07", "idx_cdr_switch_y2025m07", "idx_cdr_uuid_y2025m07");
        assertThatThrownBy(() -> cdr.insert(record("jul-1", LocalDateTime.of(2025, 9, 1, 0, 0))))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> FreeSwitch.run(db,
                cdrUnanswered("jul-2", "2025-07-31 23:00:00", "2025-07-31 23:00:20", "NO_ANSWER", "fs1")))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }

    @Test
    void twoServersEnsuringTheSameMonthsAtOnceBothSucceedAndEachMonthIsMadeOnce() throws Exception {
        int servers = 4;
        CyclicBarrier start = new CyclicBarrier(servers);
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            List<Future<List<CdrPartitions.Created>>> runs = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                CdrPartitions server = new CdrPartitions(db.dataSource(), JUNE_2025);
                runs.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return server.ensureAhead(5);
                }));
            }
            List<String> createdByAll = new ArrayList<>();
            for (Future<List<CdrPartitions.Created>> run : runs) {
                run.get(60, TimeUnit.SECONDS).forEach(c -> createdByAll.add(c.name()));
            }
            assertThat(createdByAll).hasSize(6).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
        assertThat(partitions.list()).hasSize(7);
    }

    @Test
    void retentionDropsWholeMonthsBeforeTheCutoffAndFreesTheirUuids() throws SQLException {
        partitions.ensureMonths(YearMonth.of(2024, 12), YearMonth.of(2025, 7));
        FreeSwitch.run(db, "DROP TABLE cdr_y2025m04"); // a month missing: its rows wait in the default partition
        for (YearMonth m = YearMonth.of(2024, 12); !m.isAfter(YearMonth.of(2025, 7)); m = m.plusMonths(1)) {
            cdr.insert(record("first-" + m, m.atDay(1).atStartOfDay()));
            cdr.insert(record("last-" + m, m.atEndOfMonth().atTime(23, 59, 59)));
        }
        cdr.insert(record("default-old", LocalDateTime.of(2023, 5, 1, 0, 0)));
        cdr.insert(record("default-recent", LocalDateTime.of(2025, 4, 2, 0, 0)));
        cdr.insert(record("default-future", LocalDateTime.of(2031, 1, 1, 0, 0)));
        cdr.insert(record("undated", null));

        // June 2025 keeping 3 months: March, April, May and June stay
        CdrPartitions.Retention retention = partitions.dropOlderThan(3);
        assertThat(retention.keptFrom()).isEqualTo(YearMonth.of(2025, 3));
        assertThat(retention.dropped()).containsExactly("cdr_y2024m12", "cdr_y2025m01", "cdr_y2025m02");
        assertThat(retention.deletedFromDefault()).isEqualTo(1);
        assertThat(partitions.list()).extracting(CdrPartitions.Partition::name)
                .containsExactly("cdr_y2025m03", "cdr_y2025m05", "cdr_y2025m06", "cdr_y2025m07", "cdr_default");
        assertThat(strings("SELECT uuid FROM cdr ORDER BY start_stamp NULLS LAST")).containsExactly(
                "first-2025-03", "last-2025-03", "first-2025-04", "default-recent", "last-2025-04", "first-2025-05", "last-2025-05", "first-2025-06",
                "last-2025-06", "first-2025-07", "last-2025-07", "default-future", "undated");

        // the dropped months' uuids are free again: nothing remembers them
        assertThat(cdr.find("last-2025-02")).isEmpty();
        cdr.insert(record("last-2025-02", LocalDateTime.of(2025, 6, 20, 0, 0)));
        assertThat(partitionOf("last-2025-02")).isEqualTo("cdr_y2025m06");
        // while kept ones are still taken
        assertThatThrownBy(() -> cdr.insert(record("first-2025-03", LocalDateTime.of(2025, 6, 20, 0, 0))))
                .isInstanceOf(AlreadyExistsException.class);

        assertThat(partitions.dropOlderThan(3).dropped()).isEmpty();
        assertThatThrownBy(() -> partitions.dropOlderThan(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aUuidIsUniqueAcrossMonthsAndTheDefaultPartition() throws SQLException {
        partitions.ensureMonths(YearMonth.of(2025, 1), YearMonth.of(2025, 2));
        cdr.insert(record("u-1", LocalDateTime.of(2025, 1, 10, 9, 0)));

        assertThatThrownBy(() -> cdr.insert(record("u-1", LocalDateTime.of(2025, 2, 10, 9, 0))))
                .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
                    assertThat(e.entity()).isEqualTo("cdr");
                    assertThat(e.key()).isEqualTo("u-1");
                });
        assertThatThrownBy(() -> cdr.insert(record("u-1", null))).isInstanceOf(AlreadyExistsException.class);
        assertRefusedAsDuplicate("INSERT INTO cdr (uuid, start_stamp) VALUES ('u-1', '2025-02-10 09:00:00')", "u-1");
        assertRefusedAsDuplicate("INSERT INTO cdr (uuid) VALUES ('u-1')", "u-1");
        // two rows of one statement, in different months
        assertRefusedAsDuplicate("INSERT INTO cdr (uuid, start_stamp) VALUES ('u-2', '2025-01-03 00:00:00'), "
                + "('u-2', '2025-02-03 00:00:00')", "u-2");
        // renaming a row onto a taken uuid
        cdr.insert(record("u-3", LocalDateTime.of(2025, 2, 1, 0, 0)));
        assertRefusedAsDuplicate("UPDATE cdr SET uuid = 'u-1' WHERE uuid = 'u-3'", "u-1");
        assertThat(strings("SELECT uuid FROM cdr ORDER BY uuid")).containsExactly("u-1", "u-3");
        assertThat(cdr.get("u-1").startStamp()).isEqualTo(LocalDateTime.of(2025, 1, 10, 9, 0));
    }

    @Test
    void aRowMovedToAnotherMonthOrRenamedKeepsWorking() throws SQLException {
        partitions.ensureMonths(YearMonth.of(2025, 1), YearMonth.of(2025, 2));
        cdr.insert(record("m-1", LocalDateTime.of(2025, 1, 10, 9, 0)));
        FreeSwitch.run(db, "UPDATE cdr SET start_stamp = '2025-02-10 09:00:00' WHERE uuid = 'm-1'");
        assertThat(partitionOf("m-1")).isEqualTo("cdr_y2025m02");
        FreeSwitch.run(db, "UPDATE cdr SET uuid = 'm-2', start_stamp = NULL WHERE uuid = 'm-1'");
        assertThat(partitionOf("m-2")).isEqualTo("cdr_default");
        assertThat(cdr.find("m-1")).isEmpty();
        cdr.insert(record("m-1", LocalDateTime.of(2025, 1, 11, 9, 0)));
        assertThat(number("SELECT count(*) FROM cdr")).isEqualTo(2);
    }

    @Test
    void theSecondOfTwoConcurrentInsertsOfOneUuidWaitsAndIsRefusedOrLandsIfTheFirstRollsBack() throws Exception {
        partitions.ensureMonths(YearMonth.of(2025, 1), YearMonth.of(2025, 2));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection first = db.connect()) {
            first.setAutoCommit(false);
            try (Statement st = first.createStatement()) {
                st.execute("INSERT INTO cdr (uuid, start_stamp) VALUES ('race', '2025-01-05 00:00:00')");
            }
            Future<?> second = other.submit(() -> {
                FreeSwitch.run(db, "INSERT INTO cdr (uuid, start_stamp) VALUES ('race', '2025-02-05 00:00:00')");
                return null;
            });
            Thread.sleep(300);
            assertThat(second).isNotDone(); // waiting on the uuid's lock, not racing past the check
            first.commit();
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SQLException.class)
                    .cause().satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));

            try (Statement st = first.createStatement()) {
                st.execute("INSERT INTO cdr (uuid, start_stamp) VALUES ('undone', '2025-01-05 00:00:00')");
            }
            Future<?> third = other.submit(() -> {
                FreeSwitch.run(db, "INSERT INTO cdr (uuid, start_stamp) VALUES ('undone', '2025-02-05 00:00:00')");
                return null;
            });
            Thread.sleep(300);
            assertThat(third).isNotDone();
            first.rollback();
            third.get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        assertThat(partitionOf("race")).isEqualTo("cdr_y2025m01");
        assertThat(partitionOf("undone")).isEqualTo("cdr_y2025m02");
    }

    @Test
    void insertsUnderASnapshotIsolationAreRefusedRatherThanCheckedBlind() throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("INSERT INTO cdr (uuid) VALUES ('rr')"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("25000"));
            } finally {
                c.rollback();
            }
        }
        assertThat(number("SELECT count(*) FROM cdr")).isZero();
    }

    @Test
    void oneMaintenancePassCreatesAheadAndAppliesRetention() throws SQLException {
        partitions.ensureMonths(YearMonth.of(2024, 1), YearMonth.of(2024, 2));
        cdr.insert(record("old", LocalDateTime.of(2024, 1, 5, 0, 0)));

        CdrPartitions.Report forever = partitions.runOnce(new CdrSettings(0, 1));
        assertThat(forever.created()).extracting(CdrPartitions.Created::name)
                .containsExactly("cdr_y2025m06", "cdr_y2025m07");
        assertThat(forever.retention()).isNull();
        assertThat(forever.partitions()).hasSize(5);
        assertThat(forever.took()).isPositive();

        CdrPartitions.Report yearly = partitions.runOnce(new CdrSettings(12, 1));
        assertThat(yearly.created()).isEmpty();
        assertThat(yearly.retention().dropped()).containsExactly("cdr_y2024m01", "cdr_y2024m02");
        assertThat(yearly.partitions()).extracting(CdrPartitions.Partition::name)
                .containsExactly("cdr_y2025m06", "cdr_y2025m07", "cdr_default");
        assertThat(cdr.find("old")).isEmpty();
    }

    private static void assertRefusedAsDuplicate(String statement, String uuid) {
        assertThatThrownBy(() -> FreeSwitch.run(db, statement))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("23505");
                    assertThat(e.getMessage()).contains("Key (uuid)=(" + uuid + ") already exists");
                });
    }

    private static String partitionOf(String uuid) throws SQLException {
        List<String> found = strings("SELECT tableoid::regclass::text FROM cdr WHERE uuid = '" + uuid + "'");
        assertThat(found).as("partition of %s", uuid).hasSize(1);
        return found.get(0);
    }

    private static long number(String query) throws SQLException {
        return Long.parseLong(strings(query).get(0));
    }

    private static List<String> strings(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Cdr record(String uuid, LocalDateTime start) {
        return new Cdr(uuid, "Alice", "5551000", "7000", "default", start, null, null, 20, 0, "NO_ANSWER", null,
                "support", null, null, null, "fs1", null);
    }

    @Test
    void rowEstimatesAreCountedWhenSmallAndSampledWhenLargeAndNeverAnalysedOrTruncated() throws SQLException {
        CdrPartitions partitions = new CdrPartitions(db.dataSource(), JUNE_2025);
        partitions.ensureMonths(YearMonth.of(2018, 1), YearMonth.of(2018, 2));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO cdr (uuid, start_stamp) VALUES ('est-1', '2018-02-10 10:00:00'),"
                    + " ('est-2', '2018-02-11 10:00:00')");
            // a large month, then truncated and refilled: reltuples is 0 or -1 while the table holds 80k rows
            st.execute("SET session_replication_role = replica"); // skip the per-row uuid trigger for speed
            st.execute("INSERT INTO cdr_y2018m01 (uuid, start_stamp) SELECT repeat(md5(g::text), 4),"
                    + " '2018-01-01'::timestamp + g * interval '1 second' FROM generate_series(1, 80000) g");
            st.execute("ANALYZE cdr_y2018m01");
            st.execute("TRUNCATE cdr_y2018m01");
            st.execute("INSERT INTO cdr_y2018m01 (uuid, start_stamp) SELECT repeat(md5(g::text), 4),"
                    + " '2018-01-01'::timestamp + g * interval '1 second' FROM generate_series(1, 80000) g");
            st.execute("RESET session_replication_role"); // the connection may go back to a pool
        }
        CdrPartitions.Partition small = partitions.list().stream().filter(p -> p.name().equals("cdr_y2018m02"))
                .findFirst().orElseThrow();
        assertThat(small.rowsExact()).isTrue();
        assertThat(small.estimatedRows()).isEqualTo(2);
        CdrPartitions.Partition large = partitions.list().stream().filter(p -> p.name().equals("cdr_y2018m01"))
                .findFirst().orElseThrow();
        assertThat(large.rowsExact()).isFalse();
        assertThat(large.estimatedRows()).isBetween(40_000L, 160_000L);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ANALYZE cdr_y2018m01");
        }
        CdrPartitions.Partition analysed = partitions.list().stream().filter(p -> p.name().equals("cdr_y2018m01"))
                .findFirst().orElseThrow();
        assertThat(analysed.estimatedRows()).isBetween(72_000L, 88_000L);
    }
}

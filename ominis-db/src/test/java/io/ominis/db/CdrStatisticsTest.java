package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.db.CdrStatistics.Bucket;
import io.ominis.db.CdrStatistics.Window;
import io.ominis.testing.OminisDatabase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statistics' plans on a million records: each reads a 24-hour window through an index of {@code cdr}, never by
 * scanning the table. The figures themselves are checked against hand-computed numbers over HTTP
 * ({@code CdrRoutesTest}).
 */
class CdrStatisticsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final LocalDateTime DAY = LocalDateTime.of(2024, 1, 15, 0, 0);
    private static final Window WINDOW = new Window(DAY, DAY.plusDays(1));

    private static Database database;

    /**
     * One million records, one every 2.592 s over 30 days from 2024-01-01: 20 queues, 200 agents. Of every three
     * records the third is the agent leg of the one before (member_session_uuid pointing at it); every tenth member
     * leg is a call outside any queue.
     */
    @BeforeAll
    static void load() throws Exception {
        database = Database.create(db.dataSource());
        // monthly partitions for the data, as the maintenance task keeps them in production
        new CdrPartitions(db.dataSource()).ensureMonths(java.time.YearMonth.of(2024, 1), java.time.YearMonth.of(2024, 2));
        // The generated uuids are unique by construction, so the load skips cdr_uuid_unique, the per-row probe
        // across partitions that guards FreeSWITCH's inserts: with it the load took two thirds of the class's time.
        FreeSwitch.run(db, "SET session_replication_role = replica", """
                INSERT INTO cdr (uuid, caller_id_number, destination_number, start_stamp, answer_stamp, end_stamp,
                                 duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid,
                                 member_state, switch_name)
                SELECT 'bulk-' || i, '555' || (i % 997), '7000',
                       TIMESTAMP '2024-01-01' + i * INTERVAL '2.592 seconds',
                       TIMESTAMP '2024-01-01' + i * INTERVAL '2.592 seconds' + INTERVAL '12 seconds',
                       TIMESTAMP '2024-01-01' + i * INTERVAL '2.592 seconds' + INTERVAL '190 seconds',
                       190, 178,
                       CASE WHEN i % 7 = 0 THEN 'NO_ANSWER' ELSE 'NORMAL_CLEARING' END,
                       CASE WHEN i % 30 = 1 THEN NULL ELSE 'queue-' || (i % 20) END,
                       CASE WHEN i % 7 = 0 THEN NULL ELSE 'agent-' || (i % 200) END,
                       CASE WHEN i % 3 = 0 THEN 'bulk-' || (i - 1) END,
                       CASE WHEN i % 3 = 0 THEN NULL WHEN i % 7 = 0 THEN 'cancel' ELSE 'answered' END,
                       'fs' || (i % 3)
                FROM generate_series(1, 1000000) AS i""", "RESET session_replication_role", "ANALYZE cdr");
    }

    @Test
    void everyStatisticReadsItsWindowThroughAnIndex() {
        assertIndexed(CdrStatistics.QUEUES, q -> CdrStatistics.bindGrouped(q, WINDOW).bind("threshold", 20));
        assertIndexed(CdrStatistics.AGENTS, q -> CdrStatistics.bindGrouped(q, WINDOW));
        assertIndexed(CdrStatistics.HANGUP_CAUSES, q -> CdrStatistics.bindGrouped(q, WINDOW));
        for (Bucket bucket : Bucket.values()) {
            assertIndexed(CdrStatistics.VOLUME, q -> CdrStatistics.bindWindow(q, WINDOW)
                    .bind("unit", bucket.unit()).bind("step", "1 " + bucket.unit()));
        }
    }

    @Test
    void answersOverTheMillionRowsInTheWindowOnly() {
        CdrStatistics stats = database.cdrStatistics();
        // 86400 s / 2.592 s = 33333.3 records start within the day
        long records = stats.hangupCauses(WINDOW).stream().mapToLong(CdrStatistics.HangupCauseCount::calls).sum();
        assertThat(records).isBetween(33_333L, 33_334L);
        assertThat(stats.queues(WINDOW, 20)).hasSize(20);
        assertThat(stats.agents(WINDOW)).hasSizeLessThanOrEqualTo(200).isNotEmpty();
        assertThat(stats.volume(WINDOW, Bucket.HOUR)).hasSize(24);
        assertThat(stats.volume(WINDOW, Bucket.DAY)).hasSize(1);
    }

    @Test
    void refusesWindowsThatAreMissingReversedOrLongerThan93Days() {
        assertInvalid(() -> new Window(null, DAY), "from");
        assertInvalid(() -> new Window(DAY, null), "to");
        assertInvalid(() -> new Window(DAY, DAY), "from");
        assertInvalid(() -> new Window(DAY, DAY.minusSeconds(1)), "from");
        assertInvalid(() -> new Window(DAY, DAY.plusDays(93).plusSeconds(1)), "to");
        assertThat(new Window(DAY, DAY.plusDays(93)).to()).isEqualTo(DAY.plusDays(93));
        assertInvalid(() -> database.cdrStatistics().queues(WINDOW, -1), "threshold");
    }

    /** EXPLAIN (FORMAT JSON) of the statement with its own bindings: some cdr index used, no sequential scan of cdr. */
    private static void assertIndexed(String sql, Function<Query, Query> bind) {
        String json = database.jdbi().withHandle(h -> bind.apply(h.createQuery("EXPLAIN (FORMAT JSON) " + sql))
                .mapTo(String.class).one());
        List<JsonNode> nodes = new ArrayList<>();
        try {
            collect(new ObjectMapper().readTree(json).get(0).get("Plan"), nodes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(nodes).as(json)
                .noneMatch(n -> "Seq Scan".equals(n.path("Node Type").asText())
                        && n.path("Relation Name").asText().matches("cdr(_.*)?"))
                // on the partitioned table each month has its own copy of the index: idx_cdr_start_y2024m01
                .anyMatch(n -> n.path("Index Name").asText().matches("idx_cdr_(start|queue|agent)(_y\\d{4}m\\d{2})?"));
    }

    private static void collect(JsonNode plan, List<JsonNode> into) {
        into.add(plan);
        for (JsonNode child : plan.path("Plans")) {
            collect(child, into);
        }
    }
}

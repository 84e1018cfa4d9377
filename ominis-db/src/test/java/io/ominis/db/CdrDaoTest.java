package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.cdr.CdrCursor;
import io.ominis.core.cdr.CdrFilter;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CdrDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 9, 0);

    private Database database;
    private CdrDao cdr;

    @BeforeEach
    void setUp() throws SQLException {
        database = Database.create(db.dataSource());
        cdr = database.cdr();
        FreeSwitch.run(db, "DELETE FROM cdr");
    }

    @Test
    void insertsAndReadsBackEveryField() {
        Cdr stored = cdr.insert(record("u-1", T0, "support", "1000@default", "NORMAL_CLEARING", "fs1"));
        assertThat(stored.createdAt()).isNotNull();
        Cdr read = cdr.get("u-1");
        assertThat(read).isEqualTo(stored);
        assertThat(read.startStamp()).isEqualTo(T0);
        assertThat(read.answerStamp()).isEqualTo(T0.plusSeconds(5));
        assertThat(read.duration()).isEqualTo(65);
        assertThat(read.jsonCdr()).isEqualTo("{\"k\":1}");
        assertThat(read.memberSessionUuid()).isEqualTo("s-u-1");
        assertThat(cdr.find("u-2")).isEmpty();
        assertThatThrownBy(() -> cdr.get("u-2")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void refusesADuplicateUuidTypedAndKeepsTheFirst() {
        cdr.insert(record("u-1", T0, "support", null, "NORMAL_CLEARING", "fs1"));
        assertThatThrownBy(() -> cdr.insert(record("u-1", T0, "sales", null, "USER_BUSY", "fs1")))
                .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
                    assertThat(e.entity()).isEqualTo("cdr");
                    assertThat(e.key()).isEqualTo("u-1");
                });
        assertThat(cdr.get("u-1").queueName()).isEqualTo("support");
        assertThatThrownBy(() -> cdr.insert(record(" ", T0, null, null, null, null)))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("uuid"));
    }

    @Test
    void pagesNewestFirstWithoutRepeatingOrSkippingRowsThatShareASecond() {
        // 25 records, five per second, so page boundaries fall inside a second
        for (int i = 0; i < 25; i++) {
            cdr.insert(record(String.format("u-%02d", i), T0.plusSeconds(i / 5), "q", null, "NORMAL_CLEARING", "fs1"));
        }
        List<String> seen = new ArrayList<>();
        CdrCursor cursor = null;
        int pages = 0;
        do {
            Page<Cdr, CdrCursor> page = cdr.list(CdrFilter.ANY, cursor, 7);
            page.items().forEach(c -> seen.add(c.uuid()));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(4);
        List<String> expected = new ArrayList<>();
        for (int second = 4; second >= 0; second--) {
            for (int k = 4; k >= 0; k--) {
                expected.add(String.format("u-%02d", second * 5 + k));
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);

        Page<Cdr, CdrCursor> exact = cdr.list(CdrFilter.ANY, null, 25);
        assertThat(exact.items()).hasSize(25);
        assertThat(exact.hasNext()).isFalse();
    }

    @Test
    void filtersOnEveryCriterion() {
        cdr.insert(record("a", T0, "support", "1000@default", "NORMAL_CLEARING", "fs1"));
        cdr.insert(record("b", T0.plusMinutes(10), "support", "1001@default", "NO_ANSWER", "fs1"));
        cdr.insert(record("c", T0.plusMinutes(20), "sales", "1000@default", "NORMAL_CLEARING", "fs2"));
        cdr.insert(new Cdr("d", "Dan", "5559999", "1001", "default", T0.plusMinutes(30), null, T0.plusMinutes(31),
                60, 0, "ORIGINATOR_CANCEL", null, null, null, null, null, "fs2", null));

        assertThat(uuids(CdrFilter.ANY)).containsExactly("d", "c", "b", "a");
        assertThat(uuids(CdrFilter.between(T0, T0.plusMinutes(20)))).containsExactly("b", "a");
        assertThat(uuids(CdrFilter.between(T0.plusMinutes(10), T0.plusHours(1)))).containsExactly("d", "c", "b");
        assertThat(uuids(CdrFilter.ANY.withQueue("support"))).containsExactly("b", "a");
        assertThat(uuids(CdrFilter.ANY.withAgent("1000@default"))).containsExactly("c", "a");
        assertThat(uuids(CdrFilter.ANY.withHangupCause("NORMAL_CLEARING"))).containsExactly("c", "a");
        assertThat(uuids(CdrFilter.ANY.withCaller("5559999"))).containsExactly("d");
        assertThat(uuids(CdrFilter.ANY.withDestination("1001"))).containsExactly("d");
        assertThat(uuids(CdrFilter.ANY.withSwitchName("fs2"))).containsExactly("d", "c");
        assertThat(uuids(CdrFilter.between(T0, T0.plusHours(1)).withQueue("support").withAgent("1001@default")
                .withSwitchName("fs1"))).containsExactly("b");
        assertThat(uuids(CdrFilter.ANY.withQueue("nope"))).isEmpty();
        assertThat(cdr.get("d").answerStamp()).isNull();
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> cdr.list(CdrFilter.ANY, null, 0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> cdr.list(CdrFilter.ANY, null, CdrDao.MAX_LIMIT + 1))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void theListQueryUsesTheStartOrQueueIndexNotASeqScan() throws SQLException {
        FreeSwitch.run(db, """
                INSERT INTO cdr (uuid, caller_id_number, destination_number, start_stamp, end_stamp, duration, billsec,
                                 hangup_cause, queue_name, agent_name, switch_name)
                SELECT 'bulk-' || i, '555' || (i % 97), '7000',
                       TIMESTAMP '2024-01-01 00:00:00' + i * INTERVAL '1 minute',
                       TIMESTAMP '2024-01-01 00:01:00' + i * INTERVAL '1 minute', 60, 55,
                       CASE WHEN i % 10 = 0 THEN 'NO_ANSWER' ELSE 'NORMAL_CLEARING' END,
                       'queue-' || (i % 20), 'agent-' || (i % 50), 'fs' || (i % 3)
                FROM generate_series(1, 5000) AS i""", "ANALYZE cdr");

        LocalDateTime from = LocalDateTime.of(2024, 1, 2, 0, 0);
        LocalDateTime to = LocalDateTime.of(2024, 1, 3, 0, 0);
        String byTime = plan(CdrFilter.between(from, to), null);
        assertThat(byTime).contains("idx_cdr_start").doesNotContain("Seq Scan");

        String deepPage = plan(CdrFilter.between(from, to), new CdrCursor(from.plusHours(12), "bulk-2160"));
        assertThat(deepPage).contains("idx_cdr_start").doesNotContain("Seq Scan");

        String byQueue = plan(CdrFilter.between(from, to).withQueue("queue-7"), null);
        assertThat(byQueue).contains("idx_cdr_queue").doesNotContain("Seq Scan");
    }

    /** EXPLAIN of the DAO's own statement with the DAO's own bindings. */
    private String plan(CdrFilter filter, CdrCursor after) {
        Jdbi jdbi = database.jdbi();
        List<String> lines = jdbi.withHandle(h -> CdrDao.bindList(h.createQuery("EXPLAIN " + CdrDao.LIST), filter,
                after, 51).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    private List<String> uuids(CdrFilter filter) {
        return cdr.list(filter, null, 100).items().stream().map(Cdr::uuid).toList();
    }

    private static Cdr record(String uuid, LocalDateTime start, String queue, String agent, String cause,
                              String switchName) {
        return new Cdr(uuid, "Alice", "5551000", "7000", "default", start, start.plusSeconds(5), start.plusSeconds(65),
                65, 60, cause, "{\"k\":1}", queue, agent, "s-" + uuid, "answered", switchName, null);
    }
}

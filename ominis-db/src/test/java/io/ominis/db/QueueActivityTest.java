package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live queue view over rows written with the statements mod_callcenter and mod_odbc_cdr issue. */
class QueueActivityTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final LocalDate DAY = LocalDate.of(2024, 1, 15);

    private static QueueActivity activity;

    @BeforeAll
    static void rows() throws Exception {
        activity = Database.create(db.dataSource()).queueActivity();
        new CdrPartitions(db.dataSource()).ensureMonths(YearMonth.of(2024, 1), YearMonth.of(2024, 1));
        long now = System.currentTimeMillis() / 1000;
        FreeSwitch.run(db,
                FreeSwitch.agentAdd("1001@default", "callback"), FreeSwitch.agentAdd("1002@default", "callback"),
                FreeSwitch.agentAdd("1003@default", "callback"), FreeSwitch.agentAdd("2001@default", "callback"),
                FreeSwitch.agentSetStatus("1001@default", "Available", now),
                FreeSwitch.agentSetStatus("1002@default", "Available", now),
                FreeSwitch.tierAdd("sales@default", "1001@default", 1, 1),
                FreeSwitch.tierAdd("sales@default", "1002@default", 1, 2),
                FreeSwitch.tierAdd("sales@default", "1003@default", 2, 1),
                FreeSwitch.tierAdd("support@default", "2001@default", 1, 1),
                FreeSwitch.memberJoin("sales@default", "single_box", "m1", "s1", now - 90, now - 90, 0, "5551", "A", ""),
                FreeSwitch.memberJoin("sales@default", "single_box", "m2", "s2", now - 30, now - 30, 0, "5552", "B", ""),
                FreeSwitch.memberJoin("sales@default", "single_box", "m3", "s3", now - 300, now - 300, 0, "5553", "C",
                        ""),
                "UPDATE members SET state = 'Answered' WHERE uuid = 'm3'",
                "UPDATE members SET state = 'Trying' WHERE uuid = 'm2'",
                // two sales calls that day: one answered after 5 s, one abandoned; one the day before
                FreeSwitch.cdrAnswered("c1", "2024-01-15 10:00:00", "2024-01-15 10:00:00", "2024-01-15 10:01:05",
                        "sales@default", "1001@default", "fs1"),
                "INSERT INTO cdr (uuid, start_stamp, answer_stamp, end_stamp, duration, billsec, queue_name, "
                        + "agent_name, member_session_uuid) VALUES ('c1-agent', '2024-01-15 10:00:01', "
                        + "'2024-01-15 10:00:05', '2024-01-15 10:01:05', 64, 60, 'sales@default', '1001@default', 'c1')",
                "INSERT INTO cdr (uuid, start_stamp, answer_stamp, end_stamp, duration, billsec, queue_name, "
                        + "member_state) VALUES ('c2', '2024-01-15 11:00:00', '2024-01-15 11:00:00', "
                        + "'2024-01-15 11:00:40', 40, 40, 'sales@default', 'cancel')",
                "INSERT INTO cdr (uuid, start_stamp, answer_stamp, end_stamp, duration, billsec, queue_name, "
                        + "member_state) VALUES ('c0', '2024-01-14 11:00:00', '2024-01-14 11:00:00', "
                        + "'2024-01-14 11:00:40', 40, 40, 'sales@default', 'cancel')");
    }

    @Test
    void aQueueNowAndToday() {
        QueueActivity.Snapshot sales = activity.of("sales@default", DAY, 20);

        assertThat(sales.callersWaiting()).isEqualTo(2);
        assertThat(sales.longestWaitSeconds()).isBetween(90L, 100L);
        assertThat(sales.callersWithAgent()).isEqualTo(1);
        assertThat(sales.agents()).containsExactly(
                new QueueActivity.AgentCount("Available", "Waiting", 2),
                new QueueActivity.AgentCount("Logged Out", "Waiting", 1));
        assertThat(sales.today().date()).isEqualTo(DAY);
        assertThat(sales.today().calls()).isEqualTo(2);
        assertThat(sales.today().answered()).isEqualTo(1);
        assertThat(sales.today().abandoned()).isEqualTo(1);
        assertThat(sales.today().avgWait()).isEqualTo(5.0);
        assertThat(sales.today().serviceLevel()).isEqualTo(0.5);
        assertThat(activity.of("sales@default", DAY, 4).today().serviceLevel()).isZero();
    }

    @Test
    void manyQueuesAtOnceAndAnUnknownOneIsAllZeros() {
        Map<String, QueueActivity.Snapshot> all = activity.of(List.of("support@default", "sales@default", "nobody"),
                DAY, 20);

        assertThat(all.keySet()).containsExactly("support@default", "sales@default", "nobody");
        assertThat(all.get("support@default").callersWaiting()).isZero();
        assertThat(all.get("support@default").longestWaitSeconds()).isNull();
        assertThat(all.get("support@default").agents())
                .containsExactly(new QueueActivity.AgentCount("Logged Out", "Waiting", 1));
        assertThat(all.get("nobody").agents()).isEmpty();
        assertThat(all.get("nobody").today().calls()).isZero();
        assertThat(all.get("nobody").today().serviceLevel()).isZero();
        assertThat(activity.of(List.of(), DAY, 20)).isEmpty();
    }
}

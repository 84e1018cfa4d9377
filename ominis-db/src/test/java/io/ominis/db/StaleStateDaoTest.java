package io.ominis.db;

import static io.ominis.db.FreeSwitch.agentAdd;
import static io.ominis.db.FreeSwitch.channelBridge;
import static io.ominis.db.FreeSwitch.channelCreate;
import static io.ominis.db.FreeSwitch.memberJoin;
import static io.ominis.db.FreeSwitch.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.Member;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.NodeLiveness;
import io.ominis.core.switchstate.NodeSighting;
import io.ominis.core.switchstate.Registration;
import io.ominis.core.switchstate.StaleRepair;
import io.ominis.core.switchstate.StaleState;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes share one database: fs1 (switchname {@code fs-a}) answers, fs2 ({@code fs-b}) last answered ten minutes
 * ago. Rows are written with the statements FreeSWITCH itself issues.
 */
class StaleStateDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Duration AFTER = Duration.ofMinutes(5);

    private NodeSightings sightings;
    private StaleStateDao stale;

    @BeforeEach
    void setUp() throws SQLException {
        sightings = new NodeSightings(db.dataSource());
        stale = new StaleStateDao(db.dataSource(), sightings);
        FreeSwitch.run(db, "DELETE FROM members", "DELETE FROM agents", "DELETE FROM tiers", "DELETE FROM calls",
                "DELETE FROM channels", "DELETE FROM registrations", "DELETE FROM freeswitch_node_sightings");
        sightings.answered("fs1", "fs-a", null);
        sightings.answered("fs2", "fs-b", null);
        FreeSwitch.run(db, "UPDATE freeswitch_node_sightings SET last_seen = now() - interval '10 minutes',"
                + " first_checked = now() - interval '1 hour' WHERE node = 'fs2'");
        sightings.failed("fs2", "connect timed out");
        FreeSwitch.run(db,
                // fs-b (dead): m1 waits on b1; m2 on b2 is bridged to bob's leg b3; m5 on b4 is being offered to
                // carol, whose own leg a3 is on the live fs-a
                channelCreate("b1", "inbound", 1700000000L, "sofia/internal/1001", "fs-b", "C1", "1001", "7000"),
                channelCreate("b2", "inbound", 1700000001L, "sofia/internal/1002", "fs-b", "C2", "1002", "7000"),
                channelCreate("b3", "outbound", 1700000002L, "sofia/internal/bob", "fs-b", "Bob", "2001", "2001"),
                channelCreate("b4", "inbound", 1700000003L, "sofia/internal/1004", "fs-b", "C4", "1004", "7000"),
                // fs-a (live): m3 waits on a1, offered to alice (leg a2); carol's leg a3
                channelCreate("a1", "inbound", 1700000004L, "sofia/internal/1003", "fs-a", "C3", "1003", "7000"),
                channelCreate("a2", "outbound", 1700000005L, "sofia/internal/alice", "fs-a", "Alice", "2002", "2002"),
                channelCreate("a3", "outbound", 1700000006L, "sofia/internal/carol", "fs-a", "Carol", "2003", "2003"),
                agentAdd("bob", "callback"), agentAdd("alice", "callback"), agentAdd("carol", "callback"),
                agentAdd("dave", "callback"),
                "UPDATE agents SET status = 'Available', state = 'In a queue call', uuid = 'b3' WHERE name = 'bob'",
                "UPDATE agents SET status = 'Available', state = 'Receiving', uuid = 'a2' WHERE name = 'alice'",
                "UPDATE agents SET status = 'Available', state = 'In a queue call', uuid = 'a3' WHERE name = 'carol'",
                memberJoin("sales@default", "single_box", "m1", "b1", 1700000000L, 1700000000L, 0, "1001", "C1", ""),
                memberJoin("sales@default", "single_box", "m2", "b2", 1700000001L, 1700000001L, 0, "1002", "C2", "bob"),
                memberJoin("sales@default", "single_box", "m5", "b4", 1700000003L, 1700000003L, 0, "1004", "C4",
                        "carol"),
                memberJoin("sales@default", "single_box", "m3", "a1", 1700000004L, 1700000004L, 0, "1003", "C3",
                        "alice"),
                // abandoned: no channel any more, so no switch but its instance id tells whose it was
                memberJoin("sales@default", "single_box", "m6", "", 1700000007L, 1700000007L, 0, "1006", "C6", ""),
                registration("1001", "example.com", "t1", "sofia/internal/sip:1001@10.0.0.9", 1900000000L,
                        "10.0.0.9", "5060", "udp", "fs-b", null),
                registration("1003", "example.com", "t3", "sofia/internal/sip:1003@10.0.0.8", 1900000000L,
                        "10.0.0.8", "5060", "udp", "fs-a", null));
        FreeSwitch.run(db, channelBridge("b2", "b2", "b3", 1700000010L, "fs-b"));
        FreeSwitch.run(db, channelBridge("a1", "a1", "a2", 1700000011L, "fs-a"));
    }

    @AfterEach
    void noLeftoverLock() throws SQLException {
        assertThat(number("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
    }

    @Test
    void judgesNodesByTheirLastAnswerOnTheDatabaseClock() {
        NodeLiveness liveness = stale.liveness(AFTER);
        assertThat(liveness.stale()).extracting(NodeSighting::node).containsExactly("fs2");
        assertThat(liveness.live()).extracting(NodeSighting::node).containsExactly("fs1");
        NodeSighting fs2 = liveness.stale().get(0);
        assertThat(fs2.switchname()).isEqualTo("fs-b");
        assertThat(fs2.lastError()).isEqualTo("connect timed out");
        assertThat(fs2.silentFor(liveness.at())).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
        // a longer configured time makes fs2 live again
        assertThat(stale.liveness(Duration.ofMinutes(15)).stale()).isEmpty();
    }

    @Test
    void findsExactlyTheDeadNodesRows() {
        StaleState found = stale.find(AFTER, Set.of());
        assertThat(found.repaired()).isFalse();
        assertThat(found.members()).extracting(Member::uuid).containsExactly("m1", "m2", "m5");
        // carol is named by m5 but her own leg is on the live switch: not fs2's to reset
        assertThat(found.agents()).extracting(Agent::name).containsExactly("bob");
        assertThat(found.channels()).extracting(Channel::uuid).containsExactly("b1", "b2", "b3", "b4");
        assertThat(found.calls()).extracting(Call::callUuid).containsExactly("b2");
        assertThat(found.registrations()).extracting(Registration::regUser).containsExactly("1001");
        assertThat(found.total()).isEqualTo(10);
    }

    @Test
    void aDryRunReportsTheRepairAndChangesNothing() throws SQLException {
        String before = snapshot();
        StaleState dry = stale.repair(StaleRepair.everything(AgentStatus.LOGGED_OUT, true), AFTER);
        assertThat(dry.repaired()).isFalse();
        assertThat(dry.members()).extracting(Member::uuid).containsExactly("m1", "m2", "m5");
        assertThat(dry.agents()).extracting(Agent::name).containsExactly("bob");
        assertThat(dry.channels()).hasSize(4);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRepairRemovesAndResetsExactlyTheStaleRows() throws SQLException {
        StaleState done = stale.repair(StaleRepair.everything(AgentStatus.LOGGED_OUT, false), AFTER);
        assertThat(done.repaired()).isTrue();
        assertThat(done.members()).extracting(Member::uuid).containsExactly("m1", "m2", "m5");
        assertThat(done.agents()).extracting(Agent::state).containsExactly(AgentState.IN_A_QUEUE_CALL);

        assertThat(strings("SELECT uuid FROM members ORDER BY uuid")).containsExactly("m3", "m6");
        assertThat(strings("SELECT uuid FROM channels ORDER BY uuid")).containsExactly("a1", "a2", "a3");
        assertThat(strings("SELECT call_uuid FROM calls")).containsExactly("a1");
        assertThat(strings("SELECT reg_user FROM registrations")).containsExactly("1003");
        assertThat(strings("SELECT name || '|' || status || '|' || state || '|' || coalesce(uuid, '-') FROM agents ORDER BY name"))
                .containsExactly("alice|Available|Receiving|a2", "bob|Logged Out|Waiting|",
                        "carol|Available|In a queue call|a3", "dave|Logged Out|Waiting|-");
        assertThat(number("SELECT last_status_change FROM agents WHERE name = 'bob'")).isPositive();

        // nothing left to find
        assertThat(stale.find(AFTER, Set.of()).total()).isZero();
    }

    @Test
    void onlyTheKindsAskedForAreTouched() throws SQLException {
        StaleState done = stale.repair(new StaleRepair(Set.of(), true, null, false, false, false, false), AFTER);
        assertThat(done.members()).hasSize(3);
        assertThat(done.agents()).isEmpty();
        assertThat(done.channels()).isEmpty();
        assertThat(strings("SELECT uuid FROM members ORDER BY uuid")).containsExactly("m3", "m6");
        assertThat(number("SELECT count(*) FROM channels WHERE hostname = 'fs-b'")).isEqualTo(4);
        assertThat(strings("SELECT state FROM agents WHERE name = 'bob'")).containsExactly("In a queue call");

        // agents alone: found through the channels the stale member rows pointed at; bob's leg b3 is still there
        StaleState agents = stale.repair(new StaleRepair(Set.of(), false, AgentStatus.ON_BREAK, false, false, false,
                false), AFTER);
        assertThat(agents.agents()).extracting(Agent::name).containsExactly("bob");
        assertThat(strings("SELECT status FROM agents WHERE name = 'bob'")).containsExactly("On Break");
    }

    @Test
    void aLiveNodesRowsAreNeverTouchedEvenWhenAskedFor() throws SQLException {
        String before = snapshot();
        assertThatThrownBy(() -> stale.repair(new StaleRepair(Set.of("fs1"), true, AgentStatus.LOGGED_OUT, true,
                true, true, false), AFTER))
                .isInstanceOf(ConflictException.class).hasMessageContaining("fs1");
        assertThatThrownBy(() -> stale.repair(new StaleRepair(Set.of("fs1", "fs2"), true, null, true, true, true,
                false), AFTER))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> stale.find(AFTER, Set.of("fs9")))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(((InvalidValueException) e).field()).isEqualTo("nodes"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aSwitchnameALiveNodeAlsoUsesIsNotStale() throws SQLException {
        // fs3 is dead but was configured with the live node's switchname: its rows cannot be told apart
        sightings.answered("fs3", "fs-a", null);
        FreeSwitch.run(db, "UPDATE freeswitch_node_sightings SET last_seen = now() - interval '1 hour' "
                + "WHERE node = 'fs3'");
        StaleState found = stale.find(AFTER, Set.of("fs3"));
        assertThat(found.liveness().stale()).extracting(NodeSighting::node).containsExactly("fs3");
        assertThat(found.total()).isZero();
    }

    @Test
    void whenEveryNodeIsDeadTheirInstanceIdMakesAbandonedMembersStaleToo() throws SQLException {
        FreeSwitch.run(db, "UPDATE freeswitch_node_sightings SET last_seen = now() - interval '1 hour'");
        StaleState found = stale.find(AFTER, Set.of());
        assertThat(found.members()).extracting(Member::uuid).containsExactly("m1", "m2", "m5", "m3", "m6");
        assertThat(found.agents()).extracting(Agent::name).containsExactly("alice", "bob", "carol");
        assertThat(found.channels()).hasSize(7);

        // with fs1 spared, the instance id is shared with a node outside the repair: only fs2's own rows
        StaleState fs2 = stale.find(AFTER, Set.of("fs2"));
        assertThat(fs2.members()).extracting(Member::uuid).containsExactly("m1", "m2", "m5");
        assertThat(fs2.agents()).extracting(Agent::name).containsExactly("bob");
    }

    @Test
    void aNodeThatNeverAnsweredIsJudgedFromItsFirstAttempt() throws SQLException {
        sightings.failed("fs4", "connection refused");
        assertThat(stale.liveness(AFTER).live()).extracting(NodeSighting::node).contains("fs4");
        FreeSwitch.run(db, "UPDATE freeswitch_node_sightings SET first_checked = now() - interval '6 minutes' "
                + "WHERE node = 'fs4'");
        NodeLiveness later = stale.liveness(AFTER);
        assertThat(later.stale()).extracting(NodeSighting::node).containsExactly("fs2", "fs4");
        assertThat(later.stale().get(1).switchname()).isNull();
        assertThat(later.stale().get(1).lastSeen()).isNull();
    }

    @Test
    void anAnswerAfterFailuresMakesTheNodeLiveAgainAndAFailureNeverMovesLastSeen() throws SQLException {
        sightings.failed("fs2", "still down");
        assertThat(stale.liveness(AFTER).stale()).extracting(NodeSighting::node).containsExactly("fs2");
        sightings.answered("fs2", null, null);
        NodeLiveness now = stale.liveness(AFTER);
        assertThat(now.stale()).isEmpty();
        NodeSighting fs2 = now.live().stream().filter(s -> s.node().equals("fs2")).findFirst().orElseThrow();
        assertThat(fs2.switchname()).as("kept when the answer did not say").isEqualTo("fs-b");
        assertThat(fs2.lastError()).isNull();
        // and then its rows are a live node's
        assertThatThrownBy(() -> stale.find(AFTER, Set.of("fs2"))).isInstanceOf(ConflictException.class);
        assertThat(stale.repair(StaleRepair.everything(AgentStatus.LOGGED_OUT, false), AFTER).total()).isZero();
        assertThat(number("SELECT count(*) FROM members")).isEqualTo(5);
    }

    @Test
    void badInputIsRefusedBeforeAnyWrite() throws SQLException {
        String before = snapshot();
        assertThatThrownBy(() -> new StaleRepair(Set.of(), false, null, false, false, false, false))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("nothing");
        assertThatThrownBy(() -> new StaleRepair(Set.of(), false, AgentStatus.UNKNOWN, false, false, false, false))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(((InvalidValueException) e).field()).isEqualTo("agentStatus"));
        assertThatThrownBy(() -> stale.find(Duration.ZERO, Set.of()))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> sightings.answered("fs 1; drop", "x", null))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(((InvalidValueException) e).field()).isEqualTo("node"));
        assertThatThrownBy(() -> sightings.answered("fs5", "two\nlines", null))
                .isInstanceOf(InvalidValueException.class);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(number("SELECT count(*) FROM freeswitch_node_sightings")).isEqualTo(2);
    }

    @Test
    void concurrentRepairsDoTheWorkOnceAndNoneFails() throws Exception {
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<StaleState>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<StaleState> repair = () -> {
                    start.await();
                    return stale.repair(StaleRepair.everything(AgentStatus.LOGGED_OUT, false), AFTER);
                };
                results.add(pool.submit(repair));
            }
            start.countDown();
            int members = 0;
            int agents = 0;
            int channels = 0;
            int didWork = 0;
            for (Future<StaleState> f : results) {
                StaleState s = f.get();
                members += s.members().size();
                agents += s.agents().size();
                channels += s.channels().size();
                didWork += s.total() > 0 ? 1 : 0;
            }
            assertThat(didWork).isEqualTo(1);
            assertThat(members).isEqualTo(3);
            assertThat(agents).isEqualTo(1);
            assertThat(channels).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(strings("SELECT uuid FROM members ORDER BY uuid")).containsExactly("m3", "m6");
    }

    @Test
    void concurrentSightingsFromSeveralReplicasKeepTheLatestAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int k = i;
                done.add(pool.submit(() -> {
                    if (k % 2 == 0) {
                        sightings.answered("fs6", "fs-f", null);
                    } else {
                        sightings.failed("fs6", "replica " + k + " cannot reach it");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        NodeSighting fs6 = sightings.list().stream().filter(s -> s.node().equals("fs6")).findFirst().orElseThrow();
        assertThat(fs6.lastSeen()).isNotNull();
        assertThat(fs6.switchname()).isEqualTo("fs-f");
        assertThat(stale.liveness(AFTER).live()).extracting(NodeSighting::node).contains("fs6");
    }

    private String snapshot() throws SQLException {
        return String.join("\n", strings("SELECT 'm ' || uuid || ' ' || state FROM members ORDER BY uuid"))
                + String.join("\n", strings("SELECT 'a ' || name || ' ' || status || ' ' || state || ' ' "
                        + "|| coalesce(uuid, '-') FROM agents ORDER BY name"))
                + String.join("\n", strings("SELECT 'c ' || uuid || ' ' || hostname FROM channels ORDER BY uuid"))
                + String.join("\n", strings("SELECT 'k ' || call_uuid FROM calls ORDER BY call_uuid"))
                + String.join("\n", strings("SELECT 'r ' || reg_user || ' ' || hostname FROM registrations "
                        + "ORDER BY reg_user"));
    }

    private List<String> strings(String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private long number(String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.ominis.db;

import static io.ominis.db.FreeSwitch.agentAdd;
import static io.ominis.db.FreeSwitch.agentSetStatus;
import static io.ominis.db.FreeSwitch.memberJoin;
import static io.ominis.db.FreeSwitch.tierAdd;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.Member;
import io.ominis.core.callcenter.MemberState;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AgentDao, TierDao and MemberDao over rows written by mod_callcenter's own statements. */
class CallcenterDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private AgentDao agents;
    private TierDao tiers;
    private MemberDao members;

    @BeforeEach
    void setUp() throws SQLException {
        Database database = Database.create(db.dataSource());
        agents = database.agents();
        tiers = database.tiers();
        members = database.members();
        FreeSwitch.run(db, "DELETE FROM agents", "DELETE FROM tiers", "DELETE FROM members",
                agentAdd("1000@default", "Callback"),
                agentAdd("1001@default", "uuid-standby"),
                agentAdd("1002@default", "callback"),
                agentSetStatus("1000@default", "Available", 1700000000L),
                // `agent set status` stores the value as typed; FreeSWITCH compares it case-insensitively
                agentSetStatus("1001@default", "on break", 1700000001L),
                tierAdd("support@default", "1000@default", 1, 1),
                tierAdd("support@default", "1001@default", 2, 1),
                tierAdd("sales@default", "1000@default", 1, 2),
                "UPDATE tiers SET state = 'Offering' WHERE queue = 'sales@default' AND agent = '1000@default'",
                memberJoin("support@default", "single_box", "m-1", "s-1", 1699999000L, 1700000100L, 0, "5551000",
                        "Alice", ""),
                memberJoin("support@default", "single_box", "m-2", "s-2", 1699999000L, 1700000200L, 300, "5552000",
                        "Bob", ""),
                memberJoin("support@default", "single_box", "m-3", "s-3", 1699999000L, 1700000050L, 0, "5553000",
                        "Carol", "ring-all"),
                "UPDATE members SET state = 'Abandoned', session_uuid = '', abandoned_epoch = '1700000300' "
                        + "WHERE uuid = 'm-3' AND instance_id = 'single_box'",
                memberJoin("billing@default", "single_box", "m-4", "s-4", 1699999000L, 1700000000L, 0, "5554000",
                        "Dave", ""));
    }

    @Test
    void readsAnAgentAsModCallcenterWroteIt() {
        Agent a = agents.find("1000@default").orElseThrow();
        assertThat(a.instanceId()).isEqualTo("single_box");
        assertThat(a.type()).isEqualTo("Callback");
        assertThat(a.status()).isEqualTo(AgentStatus.AVAILABLE);
        assertThat(a.state()).isEqualTo(AgentState.WAITING);
        assertThat(a.lastStatusChange()).isEqualTo(1700000000);
        assertThat(a.uuid()).isNull();
        assertThat(a.contact()).isNull();
        assertThat(a.externalCallsCount()).isZero();
        assertThat(agents.find("1001@default").orElseThrow().status()).isEqualTo(AgentStatus.ON_BREAK);
        assertThat(agents.find("9999@default")).isEmpty();
    }

    @Test
    void valuesWeDoNotKnowReadAsUnknownAndNullStaysNull() throws SQLException {
        FreeSwitch.run(db, "UPDATE agents SET status = 'Lunch', state = NULL WHERE name = '1002@default'");
        Agent a = agents.find("1002@default").orElseThrow();
        assertThat(a.status()).isEqualTo(AgentStatus.UNKNOWN);
        assertThat(a.state()).isNull();
    }

    @Test
    void listsAgentsByStatusAndState() {
        assertThat(agents.list()).extracting(Agent::name)
                .containsExactly("1000@default", "1001@default", "1002@default");
        assertThat(agents.list(AgentStatus.LOGGED_OUT, null)).extracting(Agent::name).containsExactly("1002@default");
        assertThat(agents.list(AgentStatus.ON_BREAK, AgentState.WAITING)).extracting(Agent::name)
                .containsExactly("1001@default");
        assertThat(agents.list(null, AgentState.WAITING)).hasSize(3);
        assertThat(agents.list(null, AgentState.IN_A_QUEUE_CALL)).isEmpty();
    }

    @Test
    void listsTiersByQueueAgentAndState() {
        assertThat(tiers.byQueue("support@default")).containsExactly(
                new Tier("support@default", "1000@default", TierState.READY, 1, 1),
                new Tier("support@default", "1001@default", TierState.READY, 2, 1));
        assertThat(tiers.byAgent("1000@default")).extracting(Tier::queue)
                .containsExactly("sales@default", "support@default");
        assertThat(tiers.byState(TierState.OFFERING)).singleElement().extracting(Tier::queue).isEqualTo("sales@default");
        assertThat(tiers.find("sales@default", "1000@default")).get().extracting(Tier::position).isEqualTo(2);
        assertThat(tiers.find("sales@default", "1001@default")).isEmpty();
    }

    @Test
    void queueNamesComeFromTiersAndMembers() {
        assertThat(tiers.queueNames()).containsExactly("billing@default", "sales@default", "support@default");
    }

    @Test
    void listsMembersInTheOrderModCallcenterServesThem() {
        // score = (now - joined) + base_score: Bob (joined last, base 300) outranks Alice
        assertThat(members.list("support@default", MemberState.WAITING)).extracting(Member::uuid)
                .containsExactly("m-2", "m-1");
        assertThat(members.list("support@default", null)).extracting(Member::uuid).containsExactly("m-2", "m-3", "m-1");
        assertThat(members.list(null, MemberState.ABANDONED)).singleElement().satisfies(m -> {
            assertThat(m.sessionUuid()).isEmpty();
            assertThat(m.abandonedEpoch()).isEqualTo(1700000300);
            assertThat(m.servingAgent()).isEqualTo("ring-all");
        });
        Member alice = members.find("m-1").orElseThrow();
        assertThat(alice).isEqualTo(new Member("support@default", "single_box", "m-1", "s-1", "5551000", "Alice",
                1699999000, 1700000100, 0, 0, 0, 0, 0, "", "", MemberState.WAITING));
        assertThat(members.find("nope")).isEmpty();
    }

    @Test
    void countsWaitingCallersPerQueue() {
        assertThat(members.countWaiting("support@default")).isEqualTo(2);
        assertThat(members.countWaiting("sales@default")).isZero();
        assertThat(members.waitingByQueue()).isEqualTo(Map.of("billing@default", 1L, "support@default", 2L));
        assertThat(members.waitingByQueue().keySet()).containsExactly("billing@default", "support@default");
    }
}

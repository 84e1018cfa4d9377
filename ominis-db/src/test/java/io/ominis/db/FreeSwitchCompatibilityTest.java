package io.ominis.db;

import static io.ominis.db.FreeSwitch.agentAdd;
import static io.ominis.db.FreeSwitch.agentSetStatus;
import static io.ominis.db.FreeSwitch.channelBridge;
import static io.ominis.db.FreeSwitch.channelCallstate;
import static io.ominis.db.FreeSwitch.channelCodec;
import static io.ominis.db.FreeSwitch.channelCreate;
import static io.ominis.db.FreeSwitch.channelRouting;
import static io.ominis.db.FreeSwitch.memberJoin;
import static io.ominis.db.FreeSwitch.registration;
import static io.ominis.db.FreeSwitch.tierAdd;
import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.MemberState;
import io.ominis.core.callcenter.TierState;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.DetailedCall;
import io.ominis.core.switchstate.Registration;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs against the migrated schema the statements FreeSWITCH 1.10.12 itself issues (copied from
 * {@code switch_core_sqldb.c}, {@code mod_callcenter.c}, {@code mod_odbc_cdr.c}). A failing start-up test query makes
 * FreeSWITCH drop and re-create the table (losing its data, or failing for lack of privileges); a failing runtime
 * statement is logged and lost. Every statement must therefore succeed, and what it writes must read back through
 * the DAOs.
 */
class FreeSwitchCompatibilityTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private Database database;

    @BeforeEach
    void setUp() throws SQLException {
        database = Database.create(db.dataSource());
        FreeSwitch.run(db, "DELETE FROM channels", "DELETE FROM calls", "DELETE FROM registrations",
                "DELETE FROM agents", "DELETE FROM tiers", "DELETE FROM members", "DELETE FROM cdr");
    }

    /**
     * The start-up test statements: switch_core_sqldb_start's for every core table and view (l. 3627-3686) and its
     * auto-clear deletes, then mod_callcenter load_config's table tests and instance_id rename checks (l. 1569-1593).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "select hostname from aliases",
        "select hostname from complete",
        "select hostname from nat",
        "delete from registrations where reg_user=''",
        "select metadata from registrations",
        "select hostname from recovery",
        "select call_uuid, read_bit_rate, sent_callee_name, initial_cid_name, initial_cid_num, initial_ip_addr, "
                + "initial_dest, initial_dialplan, initial_context, accountcode from channels",
        "select call_uuid from calls",
        "select * from basic_calls where sent_callee_name=''",
        "select * from detailed_calls where sent_callee_name=''",
        "select ikey from interfaces",
        "select task_id, task_desc, task_group, task_runtime, task_sql_manager, hostname from tasks",
        "delete from channels where hostname=''",
        "delete from channels where hostname='fs1'",
        "delete from calls where hostname='fs1'",
        "delete from tasks where hostname='fs1'",
        "delete from complete where sticky=0 and hostname='fs1'",
        "delete from aliases where sticky=0 and hostname='fs1'",
        "delete from nat where sticky=0 and hostname='fs1'",
        "delete from interfaces where hostname='fs1'",
        "select count(session_uuid) from members",
        "select count(ready_time) from agents",
        "select count(no_answer_delay_time) from agents",
        "select count(external_calls_count) from agents",
        "select count(queue) from tiers",
        "select count(instance_id) from agents",
        "select count(instance_id) from members"
    })
    void startUpTestStatementsSucceed(String statement) throws SQLException {
        FreeSwitch.run(db, statement);
    }

    @Test
    void modCallcenterUncleanShutdownResetSucceeds() throws SQLException {
        FreeSwitch.run(db,
                agentAdd("1000@default", "Callback"),
                "UPDATE agents SET uuid = 'old-call', state = 'In a queue call', external_calls_count = '2' "
                        + "WHERE name = '1000@default'",
                tierAdd("support@default", "1000@default", 1, 1),
                "UPDATE tiers SET state = 'Active Inbound' WHERE queue = 'support@default' AND agent = '1000@default'",
                memberJoin("support@default", "single_box", "m-1", "s-1", 1700000000L, 1700000000L, 0, "5551000",
                        "Alice", ""));
        // one multi-statement string, as the module sends it (l. 1599)
        FreeSwitch.run(db, "update agents set state = 'Waiting', uuid = '' where instance_id = 'single_box';"
                + "update tiers set state = 'Ready' where agent IN (select name from agents where instance_id = 'single_box');"
                + "update members set state = 'Abandoned', session_uuid = '' where instance_id = 'single_box';"
                + "update agents set external_calls_count = 0 where instance_id = 'single_box';");

        var agent = database.agents().find("1000@default").orElseThrow();
        assertThat(agent.state()).isEqualTo(AgentState.WAITING);
        assertThat(agent.uuid()).isEmpty();
        assertThat(agent.externalCallsCount()).isZero();
        assertThat(database.tiers().byQueue("support@default")).singleElement()
                .extracting(t -> t.state()).isEqualTo(TierState.READY);
        assertThat(database.members().find("m-1").orElseThrow().state()).isEqualTo(MemberState.ABANDONED);
    }

    @Test
    void agentAddSetStatusTierAddAndMemberJoinReadBack() throws SQLException {
        FreeSwitch.run(db,
                agentAdd("1000@default", "Callback"),
                agentSetStatus("1000@default", "Available", 1700000000L),
                tierAdd("support@default", "1000@default", 1, 1),
                memberJoin("support@default", "single_box", "m-1", "s-1", 1700000000L, 1700000010L, 0, "5551000",
                        "Alice", "ring-all"));

        var agent = database.agents().find("1000@default").orElseThrow();
        assertThat(agent.status()).isEqualTo(AgentStatus.AVAILABLE);
        assertThat(agent.state()).isEqualTo(AgentState.WAITING);
        assertThat(agent.instanceId()).isEqualTo("single_box");
        assertThat(database.tiers().find("support@default", "1000@default")).get()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TierState.READY));
        assertThat(database.members().countWaiting("support@default")).isEqualTo(1);
        assertThat(database.members().find("m-1").orElseThrow().servingAgent()).isEqualTo("ring-all");
        assertThat(database.tiers().queueNames()).containsExactly("support@default");
    }

    /**
     * The agent-selection query of the default strategy, longest-idle-agent (l. 2693): unqualified instance_id,
     * level and position over agents LEFT JOIN tiers. If tiers had an instance_id column too, PostgreSQL would reject
     * it as ambiguous and no agent would ever be offered a call.
     */
    @Test
    void theAgentSelectionQueryRunsAndReturnsTheJoinedAgent() throws SQLException {
        FreeSwitch.run(db,
                agentAdd("1000@default", "Callback"),
                agentAdd("1001@default", "Callback"),
                agentAdd("1002@default", "Callback"),
                agentSetStatus("1000@default", "Available", 1700000000L),
                agentSetStatus("1001@default", "Available", 1700000000L),
                "UPDATE agents SET contact = 'user/1000', instance_id = 'single_box' WHERE name = '1000@default'",
                "UPDATE agents SET contact = 'user/1001', instance_id = 'single_box' WHERE name = '1001@default'",
                "UPDATE agents SET last_bridge_end = 1700000500 WHERE name = '1000@default'",
                "UPDATE agents SET last_bridge_end = 1700000100 WHERE name = '1001@default'",
                tierAdd("support@default", "1000@default", 1, 1),
                tierAdd("support@default", "1001@default", 1, 2),
                tierAdd("support@default", "1002@default", 1, 3),
                tierAdd("sales@default", "1000@default", 1, 1));

        List<List<String>> rows = query("SELECT instance_id, name, status, contact, no_answer_count, max_no_answer, "
                + "reject_delay_time, busy_delay_time, no_answer_delay_time, tiers.state, agents.last_bridge_end, "
                + "agents.wrap_up_time, agents.state, agents.ready_time, tiers.position, tiers.level, agents.type, "
                + "agents.uuid, external_calls_count FROM agents LEFT JOIN tiers ON (agents.name = tiers.agent)"
                + " WHERE tiers.queue = 'support@default'"
                + " AND (agents.status = 'Available' OR agents.status = 'On Break' OR agents.status = 'Available (On Demand)')"
                + " ORDER BY level, agents.last_bridge_end, position");

        // 1002 is Logged Out; 1001 has been idle longest
        assertThat(rows).extracting(r -> r.get(1)).containsExactly("1001@default", "1000@default");
        assertThat(rows.get(0)).containsExactly("single_box", "1001@default", "Available", "user/1001", "0", "0", "0",
                "0", "0", "Ready", "1700000100", "0", "Waiting", "0", "2", "1", "Callback", null, "0");
    }

    /** The top-down strategy's UNION form (l. 2632), which orders by the aliases tiers_level / tiers_position. */
    @Test
    void theTopDownAgentSelectionQueryRuns() throws SQLException {
        FreeSwitch.run(db,
                agentAdd("1000@default", "Callback"),
                agentSetStatus("1000@default", "Available", 1700000000L),
                tierAdd("support@default", "1000@default", 1, 1));
        String select = "SELECT instance_id, name, status, contact, no_answer_count, max_no_answer, reject_delay_time, "
                + "busy_delay_time, no_answer_delay_time, tiers.state, agents.last_bridge_end, agents.wrap_up_time, "
                + "agents.state, agents.ready_time, tiers.position as tiers_position, tiers.level as tiers_level, "
                + "agents.type, agents.uuid, external_calls_count, agents.last_offered_call as agents_last_offered_call, ";
        List<List<String>> rows = query(select + "1 as dyn_order FROM agents LEFT JOIN tiers ON (agents.name = tiers.agent)"
                + " WHERE tiers.queue = 'support@default'"
                + " AND (agents.status = 'Available' OR agents.status = 'On Break' OR agents.status = 'Available (On Demand)')"
                + " AND tiers.position > 0"
                + " AND tiers.level = 1"
                + " UNION "
                + select + "2 as dyn_order FROM agents LEFT JOIN tiers ON (agents.name = tiers.agent)"
                + " WHERE tiers.queue = 'support@default'"
                + " AND (agents.status = 'Available' OR agents.status = 'On Break' OR agents.status = 'Available (On Demand)')"
                + " AND tiers.level > 1"
                + " ORDER BY dyn_order asc, tiers_level, tiers_position, agents_last_offered_call");
        assertThat(rows).extracting(r -> r.get(1)).containsExactly("1000@default");
    }

    @Test
    void aChannelsLifeAndABridgeReadBackThroughTheDaos() throws SQLException {
        FreeSwitch.run(db,
                channelCreate("a-leg", "inbound", 1700000000L, "sofia/internal/1001@pbx", "fs1", "Alice", "1001", "1002"),
                channelRouting("a-leg", "Alice", "1001", "1002"),
                channelCallstate("a-leg", "RINGING"),
                channelCreate("b-leg", "outbound", 1700000001L, "sofia/internal/1002@pbx", "fs1", "Alice", "1001", "1002"),
                channelCodec("a-leg"),
                channelCallstate("a-leg", "ACTIVE"),
                channelCallstate("b-leg", "ACTIVE"));
        FreeSwitch.run(db, channelBridge("a-leg", "a-leg", "b-leg", 1700000002L, "fs1"));

        Channel a = database.channels().find("a-leg", "fs1").orElseThrow();
        assertThat(a.state()).isEqualTo("CS_ROUTING");
        assertThat(a.callstate()).isEqualTo("ACTIVE");
        assertThat(a.readCodec()).isEqualTo("PCMU");
        assertThat(a.callUuid()).isEqualTo("a-leg");
        assertThat(a.createdEpoch()).isEqualTo(1700000000);
        assertThat(database.calls().list("fs1")).singleElement()
                .satisfies(c -> assertThat(c.calleeUuid()).isEqualTo("b-leg"));
        List<DetailedCall> detailed = database.calls().detailedCalls("fs1", 10);
        assertThat(detailed).singleElement().satisfies(d -> {
            assertThat(d.caller().uuid()).isEqualTo("a-leg");
            assertThat(d.callee().uuid()).isEqualTo("b-leg");
            assertThat(d.callee().callUuid()).isEqualTo("a-leg");
            assertThat(d.callCreatedEpoch()).isEqualTo(1700000002);
        });

        // CHANNEL_UNBRIDGE then CHANNEL_DESTROY of the b-leg
        FreeSwitch.run(db, "update channels set call_uuid=uuid where call_uuid='a-leg'",
                "delete from calls where (caller_uuid='a-leg' or callee_uuid='a-leg')",
                "delete from channels where uuid='b-leg'",
                "delete from calls where (caller_uuid='b-leg' or callee_uuid='b-leg')");
        assertThat(database.calls().detailedCalls("fs1", 10)).singleElement()
                .satisfies(d -> assertThat(d.bridged()).isFalse());
    }

    @Test
    void registrationsWithAndWithoutMetadataAndTheExpirySweep() throws SQLException {
        FreeSwitch.run(db,
                "delete from registrations where reg_user='1001' and realm='pbx.example.com' and hostname='fs1'",
                registration("1001", "pbx.example.com", "cid-1", "sofia/internal/sip:1001@10.0.0.5:5060", 1700000600L,
                        "10.0.0.5", "5060", "udp", "fs1", null),
                registration("1002", "pbx.example.com", "cid-2", "sofia/internal/sip:1002@10.0.0.6:5060", 1699999999L,
                        "10.0.0.6", "5060", "tcp", "fs1", "pn-tok=abc"));
        List<Registration> read = database.registrations().list(RegistrationDao.Query.first(10));
        assertThat(read).extracting(Registration::metadata).containsExactly(null, "pn-tok=abc");

        FreeSwitch.run(db, FreeSwitch.expireRegistrations(1700000000L, "fs1"));
        assertThat(database.registrations().list(RegistrationDao.Query.first(10))).extracting(Registration::regUser)
                .containsExactly("1001");
    }

    @Test
    void modOdbcCdrInsertsReadBackAnsweredAndUnanswered() throws SQLException {
        FreeSwitch.run(db,
                FreeSwitch.cdrAnswered("c-1", "2024-03-01 09:00:00", "2024-03-01 09:00:05", "2024-03-01 09:01:05",
                        "support@default", "1000@default", "fs1"),
                FreeSwitch.cdrUnanswered("c-2", "2024-03-01 09:02:00", "2024-03-01 09:02:20", "NO_ANSWER", "fs1"));

        Cdr answered = database.cdr().get("c-1");
        assertThat(answered.answerStamp()).isEqualTo(LocalDateTime.of(2024, 3, 1, 9, 0, 5));
        assertThat(answered.duration()).isEqualTo(65);
        assertThat(answered.queueName()).isEqualTo("support@default");
        assertThat(answered.createdAt()).isNotNull();
        Cdr unanswered = database.cdr().get("c-2");
        assertThat(unanswered.answerStamp()).isNull();
        assertThat(unanswered.billsec()).isZero();
        assertThat(database.cdr().list(io.ominis.core.cdr.CdrFilter.ANY, null, 10).items()).extracting(Cdr::uuid)
                .containsExactly("c-2", "c-1");
    }

    /**
     * mod_odbc_cdr knows nothing of partitions: its unchanged INSERT INTO cdr goes to the month of start_stamp, or to
     * the default partition when that month has none, with omitted fields (answer_stamp of an unanswered leg) NULL and
     * created_at from the default. A leg inserted twice (a re-sent CSV, two configured tables) is refused with the
     * unique_violation the switch logs, whichever month the second copy claims.
     */
    @Test
    void modOdbcCdrInsertsAreRoutedToTheirMonthAndADuplicateLegIsRefused() throws SQLException {
        new CdrPartitions(db.dataSource()).ensureMonths(java.time.YearMonth.of(2024, 3), java.time.YearMonth.of(2024, 3));
        FreeSwitch.run(db,
                FreeSwitch.cdrAnswered("p-1", "2024-03-31 23:59:59", "2024-04-01 00:00:04", "2024-04-01 00:01:04",
                        "support@default", "1000@default", "fs1"),
                FreeSwitch.cdrUnanswered("p-2", "2019-01-01 00:00:00", "2019-01-01 00:00:20", "NO_ANSWER", "fs1"));
        assertThat(query("SELECT uuid, tableoid::regclass::text, answer_stamp, created_at IS NOT NULL FROM cdr "
                + "ORDER BY uuid")).containsExactly(
                List.of("p-1", "cdr_y2024m03", "2024-04-01 00:00:04", "t"),
                Arrays.asList("p-2", "cdr_default", null, "t"));

        for (String again : List.of(
                FreeSwitch.cdrUnanswered("p-1", "2024-03-31 23:59:59", "2024-04-01 00:00:19", "NO_ANSWER", "fs2"),
                FreeSwitch.cdrUnanswered("p-1", "2024-05-01 00:00:00", "2024-05-01 00:00:20", "NO_ANSWER", "fs2"),
                FreeSwitch.cdrUnanswered("p-2", "2024-03-02 00:00:00", "2024-03-02 00:00:20", "NO_ANSWER", "fs2"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FreeSwitch.run(db, again))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
        }
        assertThat(database.cdr().get("p-1").switchName()).isEqualTo("fs1");
        assertThat(database.cdr().get("p-2").startStamp()).isEqualTo(LocalDateTime.of(2019, 1, 1, 0, 0));
    }

    @Test
    void showChannelsSeesTheThirtyEightColumnsInFreeSwitchOrder() throws SQLException {
        assertThat(FreeSwitch.columnNames(db, "select * from channels")).containsExactlyElementsOf(Channel.COLUMNS);
    }

    @Test
    void theViewsHaveFreeSwitchsColumnCounts() throws SQLException {
        List<String> detailed = FreeSwitch.columnNames(db, "select * from detailed_calls");
        assertThat(detailed).hasSize(65);
        assertThat(detailed.subList(0, 32)).containsExactlyElementsOf(Channel.COLUMNS.subList(0, 32));
        assertThat(detailed.subList(32, 64))
                .containsExactlyElementsOf(Channel.COLUMNS.subList(0, 32).stream().map(c -> "b_" + c).toList());
        assertThat(detailed.get(64)).isEqualTo("call_created_epoch");
        List<String> basic = FreeSwitch.columnNames(db, "select * from basic_calls");
        assertThat(basic).hasSize(41).startsWith("uuid", "direction").endsWith("b_sent_callee_num", "call_created_epoch");
        assertThat(basic).doesNotContain("b_call_uuid", "b_hostname", "application", "read_codec");
    }

    private static List<List<String>> query(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}

package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.AgentType;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CallCenterCommandsTest {

    private static final String AGENT_HEADER = "name|instance_id|uuid|type|contact|status|state|max_no_answer|wrap_up_time|"
            + "reject_delay_time|busy_delay_time|no_answer_delay_time|last_bridge_start|last_bridge_end|last_offered_call|"
            + "last_status_change|no_answer_count|calls_answered|talk_time|ready_time|external_calls_count";
    private static final String QUEUE_HEADER = "name|strategy|moh_sound|time_base_score|tier_rules_apply|"
            + "tier_rule_wait_second|tier_rule_wait_multiply_level|tier_rule_no_agent_no_wait|discard_abandoned_after|"
            + "abandoned_resume_allowed|max_wait_time|max_wait_time_with_no_agent|max_wait_time_with_no_agent_time_reached|"
            + "record_template|calls_answered|calls_abandoned|ring_progressively_delay|skip_agents_with_external_calls|"
            + "agent_no_answer_status";

    @RegisterExtension
    final MockFreeSwitch fs = new MockFreeSwitch();

    private CallCenterCommands cc;

    @BeforeEach
    void setUp() {
        cc = new CallCenterCommands(fs.client);
    }

    @Test
    void statusWithSpacesIsSingleQuoted() throws Exception {
        fs.reply("+OK\n");
        fs.reply("+OK\n");

        cc.agentSetStatus("1000@default", AgentStatus.ON_BREAK);
        cc.agentSetStatus("1000@default", AgentStatus.AVAILABLE);

        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set status 1000@default 'On Break'");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set status 1000@default Available");
    }

    @Test
    void everyAgentSetterSendsItsKey() throws Exception {
        for (int i = 0; i < 7; i++) {
            fs.reply("+OK\n");
        }
        cc.agentAdd("1000@default", AgentType.CALLBACK);
        cc.agentSetState("1000@default", AgentState.IN_A_QUEUE_CALL);
        cc.agentSetType("1000@default", AgentType.UUID_STANDBY);
        cc.agentSetContact("1000@default", "[call_timeout=20]user/1000@default");
        cc.agentSetUuid("1000@default", "");
        cc.agentSet("1000@default", AgentNumericKey.WRAP_UP_TIME, 10);
        cc.agentSetStateIfWaiting("1000@default", AgentState.RECEIVING);

        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent add 1000@default Callback");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set state 1000@default 'In a queue call'");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set type 1000@default uuid-standby");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set contact 1000@default [call_timeout=20]user/1000@default");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set uuid 1000@default ''");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set wrap_up_time 1000@default 10");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent set state_if_waiting 1000@default Receiving");
    }

    @Test
    void agentErrorsComeBackAsErrorExceptions() {
        fs.reply("-ERR Agent already exist!\n");
        fs.reply("-ERR Agent not found!\n");

        assertThatThrownBy(() -> cc.agentAdd("1000@default", AgentType.CALLBACK))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class, e -> assertThat(e.error()).isEqualTo("Agent already exist!"));
        assertThatThrownBy(() -> cc.agentSetStatus("nobody", AgentStatus.AVAILABLE))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class, e -> assertThat(e.error()).isEqualTo("Agent not found!"));
    }

    @Test
    void agentGetRepliesAreBareValuesWithoutNewline() throws Exception {
        fs.reply("Available (On Demand)");
        fs.reply("Waiting");
        fs.reply("");

        assertThat(cc.agentGetStatus("1000@default")).isEqualTo(AgentStatus.AVAILABLE_ON_DEMAND);
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent get status 1000@default");
        assertThat(cc.agentGetState("1000@default")).isEqualTo(AgentState.WAITING);
        assertThat(cc.agentGetUuid("1000@default")).isEmpty();
    }

    @Test
    void agentListMapsRowsByColumnName() {
        fs.reply(AGENT_HEADER + "\n"
                + "1000@default|single_box||Callback|user/1000@default|On Break|Waiting|3|10|0|0|0|1732500000|1732500100|"
                + "1732500000|1732499000|0|7|420|0|0\n"
                + "1001@default|single_box|5d1f|uuid-standby|user/1001@default|Available|In a queue call|0|0|0|0|0|0|0|0|0|0|0|0|0|1\n"
                + "+OK\n");

        List<Agent> agents = cc.agentList();

        assertThat(agents).hasSize(2);
        Agent first = agents.get(0);
        assertThat(first.name()).isEqualTo("1000@default");
        assertThat(first.uuid()).isEmpty();
        assertThat(first.status()).isEqualTo(AgentStatus.ON_BREAK);
        assertThat(first.maxNoAnswer()).isEqualTo(3);
        assertThat(first.wrapUpTime()).isEqualTo(10);
        assertThat(first.lastBridgeEnd()).isEqualTo(1732500100);
        assertThat(first.callsAnswered()).isEqualTo(7);
        assertThat(first.talkTime()).isEqualTo(420);
        assertThat(agents.get(1).state()).isEqualTo(AgentState.IN_A_QUEUE_CALL);
        assertThat(agents.get(1).externalCallsCount()).isEqualTo(1);
    }

    @Test
    void emptyListIsJustOk() throws Exception {
        fs.reply("+OK\n");
        fs.reply("+OK\n");

        assertThat(cc.tierList()).isEmpty();
        assertThat(cc.agent("nobody")).isEmpty();
        fs.sentCommand();
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent list nobody");
    }

    @Test
    void tierListAndQueueListParse() throws Exception {
        fs.reply("queue|agent|state|level|position\nsupport@default|1000@default|Ready|1|2\n"
                + "support@default|1001@default|No Answer|2|1\n+OK\n");
        fs.reply(QUEUE_HEADER + "\nsupport@default|longest-idle-agent|local_stream://moh|system|false|300|true|false|"
                + "60|false|0|0|5||12|3|10|false|On Break\n+OK\n");

        assertThat(cc.tierList()).containsExactly(
                new Tier("support@default", "1000@default", TierState.READY, 1, 2),
                new Tier("support@default", "1001@default", TierState.NO_ANSWER, 2, 1));
        List<Map<String, String>> queues = cc.queueList();
        assertThat(queues).hasSize(1);
        assertThat(queues.get(0)).containsEntry("strategy", "longest-idle-agent")
                .containsEntry("record_template", "").containsEntry("agent_no_answer_status", "On Break");
        assertThat(queues.get(0).keySet()).hasSize(19);
    }

    @Test
    void rowWithTooManyValuesIsReportedNotGuessed() {
        fs.reply("queue|agent|state|level|position\nq|a|b|Ready|1|1\n+OK\n");
        fs.reply("queue|agent|state|level|position\nq|a|Ready|1|1\n");

        assertThatThrownBy(() -> cc.tierList()).isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("row 1");
        assertThatThrownBy(() -> cc.tierList()).isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("+OK");
    }

    @Test
    void tierCommands() throws Exception {
        for (int i = 0; i < 5; i++) {
            fs.reply("+OK\n");
        }
        cc.tierAdd("support@default", "1000@default", 1, 2);
        cc.tierSetState("support@default", "1000@default", TierState.ACTIVE_INBOUND);
        cc.tierSetLevel("support@default", "1000@default", 3);
        cc.tierSetPosition("support@default", "1000@default", 4);
        cc.tierDel("support@default", "1000@default");

        assertThat(fs.sentCommand()).isEqualTo("callcenter_config tier add support@default 1000@default 1 2");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config tier set state support@default 1000@default 'Active Inbound'");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config tier set level support@default 1000@default 3");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config tier set position support@default 1000@default 4");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config tier del support@default 1000@default");
    }

    @Test
    void queueCountsAreBareNumbers() throws Exception {
        fs.reply("2\n");
        fs.reply("5\n");
        fs.reply("1\n");
        fs.reply("0\n");

        assertThat(cc.queueCount()).isEqualTo(2);
        assertThat(cc.queueCountAgents("support@default", AgentStatus.AVAILABLE_ON_DEMAND)).isEqualTo(5);
        assertThat(cc.queueCountMembers("support@default")).isEqualTo(1);
        assertThat(cc.queueCountTiers("support@default")).isZero();
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config queue count");
        assertThat(fs.sentCommand())
                .isEqualTo("callcenter_config queue count agents support@default 'Available (On Demand)'");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config queue count members support@default");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config queue count tiers support@default");
    }

    @Test
    void queueNotFoundIsAnError() {
        fs.reply("-ERR Invalid Queue not found!\n");

        assertThatThrownBy(() -> cc.queueReload("nope"))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class,
                        e -> assertThat(e.error()).isEqualTo("Invalid Queue not found!"));
    }

    @Test
    void injectionAttemptsAreRefusedAndNothingIsSent() {
        assertThatThrownBy(() -> cc.agentDel("1000 ; reloadxml"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("agent"));
        assertThatThrownBy(() -> cc.agentSetContact("1000@default", "a\nb"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("contact"));
        assertThatThrownBy(() -> cc.agentSetContact("1000@default", "x' 'y"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("contact"));
        assertThatThrownBy(() -> cc.tierAdd("q", "a\u0000", 1, 1)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> cc.tierSetLevel("q", "a", -1))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("level"));
        assertThatThrownBy(() -> cc.queueLoad("support\tqueue")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> cc.agentSetUuid("1000", "x\\ y")).isInstanceOf(InvalidValueException.class);
        assertThat(fs.server.getRequestCount()).isZero();
    }
}

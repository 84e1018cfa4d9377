package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.AgentType;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent-creation sequence and its compensation, and FreeSWITCH's refusals typed by kind. */
class AgentCreateTest {

    @RegisterExtension
    final MockFreeSwitch fs = new MockFreeSwitch();

    @Test
    void aFailedSettingDeletesTheAgentAgain() throws Exception {
        fs.reply("+OK\n");
        fs.reply("+OK\n");
        fs.reply("-ERR Invalid!\n");
        fs.reply("+OK\n");
        CallCenterCommands cc = new CallCenterCommands(fs.client);
        List<Consumer<CallCenterCommands>> settings = List.of(
                c -> c.agentSetStatus("1000@default", AgentStatus.AVAILABLE),
                c -> c.agentSet("1000@default", AgentNumericKey.WRAP_UP_TIME, 10));

        assertThatThrownBy(() -> cc.agentCreate("1000@default", AgentType.CALLBACK, settings))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class,
                        e -> assertThat(e.kind()).isEqualTo(FreeSwitchErrorException.Kind.REFUSED));
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent add 1000@default Callback");
        assertThat(fs.sentCommand()).startsWith("callcenter_config agent set status 1000@default");
        assertThat(fs.sentCommand()).startsWith("callcenter_config agent set wrap_up_time 1000@default");
        assertThat(fs.sentCommand()).isEqualTo("callcenter_config agent del 1000@default");
    }

    @Test
    void refusalsAreTypedByWhatFreeSwitchSays() {
        assertThat(new FreeSwitchErrorException("c", "Agent not found!", "-ERR Agent not found!").kind())
                .isEqualTo(FreeSwitchErrorException.Kind.NOT_FOUND);
        assertThat(new FreeSwitchErrorException("c", "Agent already exist!", "-ERR Agent already exist!").kind())
                .isEqualTo(FreeSwitchErrorException.Kind.ALREADY_EXISTS);
        assertThat(new FreeSwitchErrorException("c", "Invalid Args!", "-ERR Invalid Args!").kind())
                .isEqualTo(FreeSwitchErrorException.Kind.REFUSED);
    }
}

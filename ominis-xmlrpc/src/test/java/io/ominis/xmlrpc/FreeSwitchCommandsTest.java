package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.Registration;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FreeSwitchCommandsTest {

    @RegisterExtension
    final MockFreeSwitch fs = new MockFreeSwitch();

    private FreeSwitchCommands commands;

    @BeforeEach
    void setUp() {
        commands = new FreeSwitchCommands(fs.client);
    }

    @Test
    void statusIsParsedAndKeptRaw() throws Exception {
        String raw = "UP 0 years, 2 days, 3 hours, 4 minutes, 5 seconds, 6 milliseconds, 7 microseconds\n"
                + "FreeSWITCH (Version 1.10.12 -release 64bit) is ready\n"
                + "42 session(s) since startup\n"
                + "3 session(s) - peak 9, last 5min 4 \n"
                + "0 session(s) per Sec out of max 30, peak 2, last 5min 1 \n"
                + "1000 session(s) max\n"
                + "min idle cpu 0.00/98.67\n"
                + "Current Stack Size/Max 240K/8192K\n";
        fs.reply(raw);

        SwitchStatus status = commands.status();

        assertThat(fs.sentCommand()).isEqualTo("status ");
        assertThat(status.uptime()).isEqualTo(Duration.ofDays(2).plusHours(3).plusMinutes(4).plusSeconds(5)
                .plusMillis(6).plusNanos(7000));
        assertThat(status.version()).isEqualTo("1.10.12 -release 64bit");
        assertThat(status.ready()).isTrue();
        assertThat(status.sessionsSinceStartup()).isEqualTo(42L);
        assertThat(status.sessions()).isEqualTo(3);
        assertThat(status.maxSessions()).isEqualTo(1000);
        assertThat(status.raw()).isEqualTo(raw);
    }

    @Test
    void showChannelsMapsEveryColumnInOrder() throws Exception {
        String row = Channel.COLUMNS.stream()
                .map(c -> "\"" + c + "\":\"" + (c.equals("created_epoch") ? "1732500000" : c.equals("secure") ? "" : "v_" + c) + "\"")
                .collect(Collectors.joining(","));
        fs.reply("{\"row_count\":1,\"rows\":[{" + row + "}]}\n");

        List<Channel> channels = commands.showChannels();

        assertThat(fs.sentCommand()).isEqualTo("show channels as json");
        assertThat(channels).hasSize(1);
        Channel c = channels.get(0);
        assertThat(c.uuid()).isEqualTo("v_uuid");
        assertThat(c.createdEpoch()).isEqualTo(1732500000);
        assertThat(c.secure()).as("\"\" reads as null").isNull();
        assertThat(c.hostname()).isEqualTo("v_hostname");
        assertThat(c.initialContext()).isEqualTo("v_initial_context");
        assertThat(c.sentCalleeNum()).isEqualTo("v_sent_callee_num");
    }

    @Test
    void zeroRowsHaveNoRowsKey() {
        fs.reply("{\"row_count\": 0}\n");
        fs.reply("{\"row_count\": 0}\n");

        assertThat(commands.showChannels()).isEmpty();
        assertThat(commands.showRegistrations()).isEmpty();
    }

    @Test
    void mismatchedRowCountIsAnUnexpectedReply() {
        fs.reply("{\"row_count\": 2, \"rows\": []}");

        assertThatThrownBy(() -> commands.showChannels()).isInstanceOf(UnexpectedReplyException.class)
                .hasMessageContaining("row_count");
    }

    @Test
    void showCallsSplitsCallerAndCalleeLegs() throws Exception {
        fs.reply("{\"row_count\":2,\"rows\":["
                + "{\"uuid\":\"a1\",\"direction\":\"inbound\",\"created_epoch\":\"100\",\"hostname\":\"fs1\","
                + "\"b_uuid\":\"b1\",\"b_direction\":\"outbound\",\"b_created_epoch\":\"101\",\"call_created_epoch\":\"102\"},"
                + "{\"uuid\":\"a2\",\"direction\":\"inbound\",\"created_epoch\":\"200\",\"hostname\":\"fs1\","
                + "\"b_uuid\":\"\",\"b_direction\":\"\",\"b_created_epoch\":\"\",\"call_created_epoch\":\"\"}]}");

        List<BasicCall> calls = commands.showCalls();

        assertThat(fs.sentCommand()).isEqualTo("show calls as json");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).bridged()).isTrue();
        assertThat(calls.get(0).caller().uuid()).isEqualTo("a1");
        assertThat(calls.get(0).callee().uuid()).isEqualTo("b1");
        assertThat(calls.get(0).callee().createdEpoch()).isEqualTo(101);
        assertThat(calls.get(0).callCreatedEpoch()).isEqualTo(102);
        assertThat(calls.get(1).bridged()).isFalse();
        assertThat(calls.get(1).callCreatedEpoch()).isNull();
    }

    @Test
    void showRegistrationsMapsToCoreRecord() {
        fs.reply("{\"row_count\":1,\"rows\":[{\"reg_user\":\"1000\",\"realm\":\"default\",\"token\":\"abc@10.0.0.5\","
                + "\"url\":\"sofia/internal/sip:1000@10.0.0.5:5060\",\"expires\":\"1732503600\",\"network_ip\":\"10.0.0.5\","
                + "\"network_port\":\"5060\",\"network_proto\":\"udp\",\"hostname\":\"fs1\",\"metadata\":\"\"}]}");

        assertThat(commands.showRegistrations()).containsExactly(new Registration("1000", "default", "abc@10.0.0.5",
                "sofia/internal/sip:1000@10.0.0.5:5060", 1732503600, "10.0.0.5", "5060", "udp", "fs1", null));
    }

    @Test
    void reloadsCheckTheirReplies() throws Exception {
        fs.reply("+OK acl reloaded\n");
        fs.reply("+OK [Success]\n");
        fs.reply("+OK\n");

        commands.reloadAcl();
        commands.reloadXml();
        assertThat(fs.sentCommand()).isEqualTo("reloadacl ");
        assertThat(fs.sentCommand()).isEqualTo("reloadxml ");
        assertThatThrownBy(() -> commands.reloadAcl()).isInstanceOf(UnexpectedReplyException.class);
    }

    @Test
    void xmlFlushCacheCountsEntries() throws Exception {
        fs.reply("+OK cleared 1 entry\n");
        fs.reply("+OK cleared 3 entries\n");

        assertThat(commands.xmlFlushCache("1000", "default")).isEqualTo(1);
        assertThat(fs.sentCommand()).isEqualTo("xml_flush_cache id 1000 default");
        assertThat(commands.xmlFlushCache("1001", "default")).isEqualTo(3);
    }

    @Test
    void uuidKillReportsMissingChannel() throws Exception {
        fs.reply("+OK\n");
        fs.reply("-ERR No such channel!\n");

        commands.uuidKill("5d1f-aa", "NORMAL_CLEARING");
        assertThat(fs.sentCommand()).isEqualTo("uuid_kill 5d1f-aa NORMAL_CLEARING");
        assertThatThrownBy(() -> commands.uuidKill("gone", null))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class,
                        e -> assertThat(e.error()).isEqualTo("No such channel!"));
        assertThat(fs.sentCommand()).isEqualTo("uuid_kill gone");
    }

    @Test
    void originateReturnsTheUuidAndFillsSkippedSlotsWithUndef() throws Exception {
        fs.reply("+OK 8b0a7e7c-0000-4e5f-9a7e-1f1f1f1f1f1f\n");

        String uuid = commands.originate(Originate.of("user/1000@default", "&park()")
                .withCallerId("Ominis Campaign", "5551000").withTimeout(Duration.ofSeconds(20)));

        assertThat(uuid).isEqualTo("8b0a7e7c-0000-4e5f-9a7e-1f1f1f1f1f1f");
        assertThat(fs.sentCommand())
                .isEqualTo("originate user/1000@default &park() undef undef 'Ominis Campaign' 5551000 20");
    }

    @Test
    void originateFailureCarriesTheCause() {
        fs.reply("-ERR USER_BUSY\n");

        assertThatThrownBy(() -> commands.originate(Originate.of("user/1000", "1001")))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class, e -> assertThat(e.error()).isEqualTo("USER_BUSY"));
    }

    @Test
    void bgapiOriginateReturnsTheJobUuid() throws Exception {
        fs.reply("+OK Job-UUID: 7f4db0f2-b848-4b0a-b4c5-5b2e3a0a3c11\n");

        assertThat(commands.bgapiOriginate(Originate.of("user/1000", "1001").withRouting("XML", "default")))
                .isEqualTo("7f4db0f2-b848-4b0a-b4c5-5b2e3a0a3c11");
        assertThat(fs.sentCommand()).isEqualTo("bgapi originate user/1000 1001 XML default");
    }

    @Test
    void injectionIsRefusedBeforeSending() {
        assertThatThrownBy(() -> commands.uuidKill("1000 ; reloadxml", null))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("uuid"));
        assertThatThrownBy(() -> commands.xmlFlushCache("a\nb", "default"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("user"));
        assertThatThrownBy(() -> commands.originate(Originate.of("user/1000", "1001").withCallerId("x' 'y", "1")))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("callerIdName"));
        assertThat(fs.server.getRequestCount()).isZero();
    }
}

package io.ominis.testing.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.util.LinkedHashMap;

/**
 * The phones against a real FreeSWITCH 1.10 run by {@link RealFreeSwitch}, with a static directory (users 1001 and 1002)
 * instead of Ominis. sipp's traces stay in {@code target/sipp-traces/<class>/}.
 */
class SipPhoneFreeSwitchTest {

    private static final String PASSWORD = "s3cret-Pw";
    private static final String DOMAIN = RealFreeSwitch.DOMAIN;

    @RegisterExtension
    static final RealFreeSwitch fs = RealFreeSwitch.builder().configuration(SipPhoneFreeSwitchTest::files).build();

    private static final Sipp sipp = Sipp.locate();
    private static final Path traces = Path.of("target", "sipp-traces", SipPhoneFreeSwitchTest.class.getSimpleName());

    private static Map<String, byte[]> files(RealFreeSwitch sw) {
        Map<String, String> values = Map.of("@DOMAIN@", DOMAIN, "@PASSWORD@", PASSWORD,
                "@XMLRPC_PORT@", Integer.toString(sw.xmlRpcPort()), "@XMLRPC_USER@", RealFreeSwitch.XMLRPC_USER,
                "@XMLRPC_PASSWORD@", RealFreeSwitch.XMLRPC_PASSWORD);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("autoload_configs/modules.conf.xml", resource("modules.conf.xml", values));
        files.put("autoload_configs/xml_rpc.conf.xml", resource("xml_rpc.conf.xml", values));
        files.put("directory/default.xml", resource("directory.xml", values));
        return files;
    }

    private static byte[] resource(String name, Map<String, String> values) {
        try (InputStream in = SipPhoneFreeSwitchTest.class.getResourceAsStream("freeswitch/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SipPhone phone(String user, String password) {
        return new SipPhone(sipp, SipPhoneSettings.of(fs.sipPort(), new SipAccount(user, password, DOMAIN),
                traces).withTimeout(Duration.ofSeconds(8)));
    }

    @Test
    void registersAfterDigestChallengeAndUnregisters() {
        SipPhone phone = phone("1001", PASSWORD);

        Registration registration = phone.register();
        Registration unregistration = phone.unregister();

        assertThat(registration.status()).isEqualTo(200);
        assertThat(registration.responses()).containsExactly(401, 200);
        assertThat(registration.elapsed()).isLessThan(Duration.ofSeconds(2));
        assertThat(registration.messageLog()).exists();
        assertThat(unregistration.status()).isEqualTo(200);
        assertThat(unregistration.responses()).containsExactly(401, 200);
    }

    @Test
    void wrongPasswordAndUnknownUserAreForbidden() {
        Registration wrongPassword = phone("1001", "not-the-password").register();
        Registration unknownUser = phone("7777", PASSWORD).register();

        assertThat(wrongPassword.status()).isEqualTo(403);
        assertThat(wrongPassword.responses()).containsExactly(401, 403);
        assertThat(unknownUser.status()).isEqualTo(403);
    }

    @Test
    void callsAnExtensionThatAnswersWithATone() {
        CallOutcome call = phone("1001", PASSWORD).call("tone", Duration.ofSeconds(1));

        assertThat(call.status()).isEqualTo(200);
        assertThat(call.answered()).isTrue();
        assertThat(call.responses()).startsWith(407).endsWith(200);
        assertThat(call.callId()).isNotBlank();
        assertThat(call.hungUpBySwitch()).isFalse();
    }

    @Test
    void reportsRefusedCalls() {
        SipPhone caller = phone("1001", PASSWORD);

        CallOutcome noRoute = caller.call("nowhere", Duration.ofSeconds(1));
        CallOutcome notRegistered = caller.call("1003", Duration.ofSeconds(1));
        CallOutcome wrongPassword = phone("1001", "not-the-password").call("tone", Duration.ofSeconds(1));

        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(notRegistered.status()).isEqualTo(480);
        assertThat(wrongPassword.status()).isEqualTo(403);
        assertThat(wrongPassword.answered()).isFalse();
    }

    @Test
    void agentAnswersBridgedCallsUntilTheCallerHangsUp() {
        SipPhone agentPhone = phone("1002", PASSWORD);
        SipPhone caller = phone("1001", PASSWORD);

        AgentReport report;
        try (AnsweringAgent agent = agentPhone.answerCalls()) {
            assertThat(agent.registration().status()).isEqualTo(200);
            CallOutcome first = caller.call("1002", Duration.ofSeconds(1));
            CallOutcome second = caller.call("1002", Duration.ofMillis(500));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.responses()).contains(180);
            assertThat(second.status()).isEqualTo(200);
            assertThat(agent.awaitAnsweredCalls(2, Duration.ofSeconds(5))).isEqualTo(2);
            awaitHangUps(agent, 2);
            report = agent.stop();
        }

        assertThat(report.answeredCalls()).isEqualTo(2);
        assertThat(report.hungUpBySwitch()).isEqualTo(2);
        assertThat(report.unregistration().status()).isEqualTo(200);
        assertThat(caller.call("1002", Duration.ofSeconds(1)).status())
                .as("1002 is no longer registered").isEqualTo(480);
    }

    @Test
    void agentHangsUpAfterItsTime() {
        SipPhone agentPhone = phone("1002", PASSWORD);
        SipPhone caller = phone("1001", PASSWORD);

        try (AnsweringAgent agent = agentPhone.answerCalls(Duration.ofSeconds(1))) {
            Instant start = Instant.now();
            CallOutcome call = caller.call("1002", Duration.ofSeconds(6));

            assertThat(call.status()).isEqualTo(200);
            assertThat(call.hungUpBySwitch()).as("the switch passes the agent's BYE on").isTrue();
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
            AgentReport report = agent.stop();
            assertThat(report.answeredCalls()).isEqualTo(1);
            assertThat(report.hungUpBySwitch()).isZero();
        }
    }

    @Test
    void agentIsRefusedWithWrongPassword() {
        assertThatThrownBy(() -> phone("1002", "not-the-password").answerCalls())
                .isInstanceOf(SippException.class)
                .hasMessageContaining("got 403");
    }

    private static void awaitHangUps(AnsweringAgent agent, int count) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Files.readString(agent.messageLog()).split("BYE sip:", -1).length - 1 >= count) {
                    return;
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}

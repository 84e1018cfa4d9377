package io.ominis.testing.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.testing.sip.internal.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The phones against a real FreeSWITCH 1.10, started here from {@code OMINIS_FREESWITCH_PREFIX} with the minimal
 * configuration in {@code io/ominis/testing/sip/freeswitch/freeswitch.xml}; skipped when that setting is absent.
 * sipp's traces stay in {@code target/sipp-traces/<class>/}, FreeSWITCH's log in {@code target/freeswitch-sip/log/}.
 */
class SipPhoneFreeSwitchTest {

    private static final String DOMAIN = "127.0.0.1";
    private static final String PASSWORD = "s3cret-Pw";

    private static LocalFreeSwitch freeSwitch;
    private static Sipp sipp;
    private static Path traces;

    @BeforeAll
    static void startFreeSwitch() throws Exception {
        String prefix = System.getenv("OMINIS_FREESWITCH_PREFIX");
        Assumptions.assumeTrue(prefix != null && Files.isExecutable(Path.of(prefix, "bin", "freeswitch")),
                "OMINIS_FREESWITCH_PREFIX names no FreeSWITCH installation");
        sipp = Sipp.locate();
        traces = Path.of("target", "sipp-traces", SipPhoneFreeSwitchTest.class.getSimpleName());
        if (Files.isDirectory(traces)) {
            try (var old = Files.list(traces)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        freeSwitch = LocalFreeSwitch.start(Path.of(prefix), Path.of("target", "freeswitch-sip"));
    }

    @AfterAll
    static void stopFreeSwitch() {
        if (freeSwitch != null) {
            freeSwitch.stop();
        }
    }

    private static SipPhone phone(String user, String password) {
        return new SipPhone(sipp, SipPhoneSettings.of(freeSwitch.sipPort(), new SipAccount(user, password, DOMAIN),
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
        CallOutcome call = phone("1001", PASSWORD).call("9999", Duration.ofSeconds(1));

        assertThat(call.status()).isEqualTo(200);
        assertThat(call.answered()).isTrue();
        assertThat(call.responses()).startsWith(407).endsWith(200);
        assertThat(call.callId()).isNotBlank();
        assertThat(call.hungUpBySwitch()).isFalse();
    }

    @Test
    void reportsRefusedCalls() {
        SipPhone caller = phone("1001", PASSWORD);

        CallOutcome noRoute = caller.call("5555", Duration.ofSeconds(1));
        CallOutcome notRegistered = caller.call("1003", Duration.ofSeconds(1));
        CallOutcome wrongPassword = phone("1001", "not-the-password").call("9999", Duration.ofSeconds(1));

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

    /**
     * The smallest launcher that works: FreeSWITCH in the foreground with its own folders. To be replaced by the
     * project's FreeSWITCH JUnit extension.
     */
    private record LocalFreeSwitch(Process process, int sipPort, Path home) {

        static LocalFreeSwitch start(Path prefix, Path home) throws Exception {
            int sipPort = LoopbackPorts.freeUdpPort();
            int rtpStart = 30000 + 200 * ThreadLocalRandom.current().nextInt(100);
            String conf;
            try (InputStream in = SipPhoneFreeSwitchTest.class.getResourceAsStream("freeswitch/freeswitch.xml")) {
                conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (Map.Entry<String, String> value : Map.of("SIP_PORT", Integer.toString(sipPort), "DOMAIN", DOMAIN,
                    "PASSWORD", PASSWORD, "RTP_START", Integer.toString(rtpStart),
                    "RTP_END", Integer.toString(rtpStart + 199)).entrySet()) {
                conf = conf.replace("@" + value.getKey() + "@", value.getValue());
            }
            for (String folder : List.of("conf", "log", "db", "run")) {
                Files.createDirectories(home.resolve(folder));
            }
            Files.writeString(home.resolve("conf/freeswitch.xml"), conf);
            Files.deleteIfExists(home.resolve("log/freeswitch.log"));
            Process process = new ProcessBuilder(prefix.resolve("bin/freeswitch").toString(), "-nonat", "-nc", "-nf",
                    "-conf", home.resolve("conf").toAbsolutePath().toString(),
                    "-log", home.resolve("log").toAbsolutePath().toString(),
                    "-db", home.resolve("db").toAbsolutePath().toString(),
                    "-run", home.resolve("run").toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("log/stdout.log").toFile())
                    .start();
            LocalFreeSwitch started = new LocalFreeSwitch(process, sipPort, home);
            Instant deadline = Instant.now().plusSeconds(30);
            // the SIP port is bound a moment before the core takes calls: until "FreeSWITCH Started" every REGISTER
            // and INVITE gets 503 Maximum Calls In Progress
            Path log = home.resolve("log/freeswitch.log");
            while (LoopbackPorts.isFree(sipPort) || !Files.exists(log)
                    || !Files.readString(log, StandardCharsets.ISO_8859_1).contains("FreeSWITCH Started")) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    started.stop();
                    throw new IllegalStateException("FreeSWITCH did not bind 127.0.0.1:" + sipPort + "; see "
                            + home.resolve("log"));
                }
                Thread.sleep(100);
            }
            return started;
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

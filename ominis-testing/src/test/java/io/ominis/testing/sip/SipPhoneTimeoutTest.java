package io.ominis.testing.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.sip.internal.LoopbackPorts;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A switch that never answers: every sipp run ends by its deadline with status 0. Skipped without sipp. */
class SipPhoneTimeoutTest {

    private static Sipp sipp;

    @BeforeAll
    static void findSipp() {
        try {
            sipp = Sipp.locate();
        } catch (SippException e) {
            Assumptions.abort(e.getMessage());
        }
    }

    @Test
    void silentSwitchGivesStatusZeroByTheDeadline(@TempDir Path folder) throws Exception {
        try (DatagramSocket silentSwitch = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SipPhone phone = new SipPhone(sipp, SipPhoneSettings.of(silentSwitch.getLocalPort(),
                            new SipAccount("1001", "pw", "127.0.0.1"), folder)
                    .withTimeout(Duration.ofSeconds(2)));

            Instant start = Instant.now();
            Registration registration = phone.register();
            CallOutcome call = phone.call("9999", Duration.ofSeconds(1));
            Duration both = Duration.between(start, Instant.now());

            assertThat(registration.status()).isZero();
            assertThat(registration.responses()).isEmpty();
            assertThat(registration.succeeded()).isFalse();
            assertThat(call.status()).isZero();
            assertThat(call.answered()).isFalse();
            assertThat(call.callId()).isNotBlank();
            assertThat(both).isLessThan(Duration.ofSeconds(2 + 3 + 2 * 2));
            assertThat(LoopbackPorts.isFree(phone.localPort())).as("sipp is gone").isTrue();
        }
    }
}

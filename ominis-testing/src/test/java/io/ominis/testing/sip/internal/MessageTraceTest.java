package io.ominis.testing.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageTraceTest {

    /** A call as sipp 3.6.1 traced it against FreeSWITCH 1.10.12, plus a retransmitted 200 and a torn last line. */
    private static final List<String> CALL = List.of(
            "2026-12-02\t01:06:50.763576\t1796173610.763576\tS\t1-1@127.0.0.1\tCSeq:1 INVITE\tINVITE sip:9999@127.0.0.1 SIP/2.0",
            "2026-12-02\t01:06:50.765234\t1796173610.765234\tR\t1-1@127.0.0.1\tCSeq:1 INVITE\tSIP/2.0 407 Proxy Authentication Required",
            "2026-12-02\t01:06:50.765324\t1796173610.765324\tS\t1-1@127.0.0.1\tCSeq:1 ACK\tACK sip:9999@127.0.0.1 SIP/2.0",
            "2026-12-02\t01:06:50.767763\t1796173610.767763\tS\t1-1@127.0.0.1\tCSeq:2 INVITE\tINVITE sip:9999@127.0.0.1 SIP/2.0",
            "2026-12-02\t01:06:50.787390\t1796173610.787390\tR\t1-1@127.0.0.1\tCSeq:2 INVITE\tSIP/2.0 100 Trying",
            "2026-12-02\t01:06:50.789839\t1796173610.789839\tR\t1-1@127.0.0.1\tCSeq:2 INVITE\tSIP/2.0 200 OK",
            "2026-12-02\t01:06:50.799839\t1796173610.799839\tR\t1-1@127.0.0.1\tCSeq:2 INVITE\tSIP/2.0 200 OK",
            "2026-12-02\t01:06:50.789947\t1796173610.789947\tS\t1-1@127.0.0.1\tCSeq:2 ACK\tACK sip:9999@127.0.0.1:5080;transport=udp SIP/2.0",
            "2026-12-02\t01:06:51.795337\t1796173611.795337\tR\t1-1@127.0.0.1\tCSeq:7 BYE\tBYE sip:1001@127.0.0.1:5090 SIP/2.0",
            "2026-12-02\t01:06:51.79");

    @Test
    void readsStatusesOnceEachAndTheSetupTime(@TempDir Path folder) throws IOException {
        Path file = Files.write(folder.resolve("short.log"), CALL);

        MessageTrace trace = MessageTrace.read(file);

        assertThat(trace.messages()).hasSize(9);
        assertThat(trace.receivedStatuses("INVITE")).containsExactly(407, 100, 200);
        assertThat(trace.finalStatus("INVITE")).isEqualTo(200);
        assertThat(trace.transactionTime("INVITE", Duration.ZERO)).isEqualTo(Duration.ofNanos(26_263_000));
        assertThat(trace.callIdsEndedByPeer()).containsExactly("1-1@127.0.0.1");
        assertThat(trace.finalStatus("REGISTER")).isZero();
        assertThat(trace.transactionTime("REGISTER", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void countsAnsweredCallsOnlyOnceAcknowledged(@TempDir Path folder) throws IOException {
        Path file = Files.write(folder.resolve("short.log"), List.of(
                "d\tt\t1.0\tR\ta\tCSeq:5 INVITE\tINVITE sip:1002@127.0.0.1:5090 SIP/2.0",
                "d\tt\t1.1\tS\ta\tCSeq:5 INVITE\tSIP/2.0 200 OK",
                "d\tt\t1.2\tR\ta\tCSeq:5 ACK\tACK sip:1002@127.0.0.1:5090 SIP/2.0",
                "d\tt\t2.0\tR\tb\tCSeq:9 INVITE\tINVITE sip:1002@127.0.0.1:5090 SIP/2.0",
                "d\tt\t2.1\tS\tb\tCSeq:9 INVITE\tSIP/2.0 200 OK"));

        assertThat(MessageTrace.read(file).answeredCallIds()).containsExactly("a");
    }

    @Test
    void aMissingFileHasNoMessages(@TempDir Path folder) {
        assertThat(MessageTrace.read(folder.resolve("not-yet.log")).messages()).isEmpty();
    }
}

package io.ominis.testing.sip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What happened to one outgoing call.
 *
 * @param callId the Call-ID of the INVITE, to find the call in the switch's logs and CDRs
 * @param status the final status code of the INVITE (after the digest challenge), e.g. 200, 404, 480; 0 when no
 *               final response came before the timeout
 * @param responses every response code to the INVITEs in order, retransmissions left out, e.g.
 *                  {@code [100, 407, 100, 180, 200]}
 * @param setup from the first INVITE sent to its final response
 * @param hungUpBySwitch whether the switch ended the call with BYE before the phone did
 * @param messageLog sipp's full message trace of this call
 */
public record CallOutcome(String callId, int status, List<Integer> responses, Duration setup, boolean hungUpBySwitch,
                          Path messageLog) {

    /** Copies the list. */
    public CallOutcome {
        Objects.requireNonNull(callId, "callId");
        responses = List.copyOf(responses);
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(messageLog, "messageLog");
    }

    /** Whether the call was answered (a 2xx final response). */
    public boolean answered() {
        return status >= 200 && status < 300;
    }
}

package io.ominis.testing.sip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the switch answered to one REGISTER (or un-REGISTER) transaction, including the digest challenge.
 *
 * @param status the final status code, e.g. 200 after the challenge, 403 for a wrong password or unknown user;
 *               0 when no final response came before the timeout
 * @param responses every response code received in order, retransmissions left out, e.g. {@code [401, 200]}
 * @param elapsed from the first REGISTER sent to the final response (to the timeout when there was none)
 * @param messageLog sipp's full message trace of this REGISTER
 */
public record Registration(int status, List<Integer> responses, Duration elapsed, Path messageLog) {

    /** Copies the list. */
    public Registration {
        responses = List.copyOf(responses);
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(messageLog, "messageLog");
    }

    /** Whether the switch accepted it (a 2xx final response). */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}

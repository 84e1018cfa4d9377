package io.ominis.testing.sip.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * One SIP message sent or received by sipp, as its short message trace ({@code -trace_shortmsg}) records it.
 *
 * @param time when sipp sent or received it
 * @param sent true when sipp sent it, false when it received it
 * @param callId the Call-ID header
 * @param cseq the CSeq number
 * @param cseqMethod the CSeq method, e.g. {@code INVITE} (a response carries the method of its request)
 * @param firstLine the request line or status line, e.g. {@code SIP/2.0 407 Proxy Authentication Required}
 */
public record TracedMessage(Instant time, boolean sent, String callId, long cseq, String cseqMethod,
                            String firstLine) {

    /** Checks the arguments. */
    public TracedMessage {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(cseqMethod, "cseqMethod");
        Objects.requireNonNull(firstLine, "firstLine");
    }

    /** Whether this is a response (its first line is a status line). */
    public boolean isResponse() {
        return firstLine.startsWith("SIP/2.0 ");
    }

    /** The status code of a response; 0 for a request. */
    public int status() {
        if (!isResponse() || firstLine.length() < 11) {
            return 0;
        }
        try {
            return Integer.parseInt(firstLine.substring(8, 11));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether this is a request with the given method. */
    public boolean isRequest(String method) {
        return !isResponse() && firstLine.startsWith(method + " ");
    }
}

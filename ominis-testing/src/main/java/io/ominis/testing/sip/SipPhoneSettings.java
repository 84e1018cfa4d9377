package io.ominis.testing.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link SipPhone} talks to and how long it may take.
 *
 * @param switchHost the switch's SIP address; loopback only, normally {@code 127.0.0.1}
 * @param switchPort the switch's SIP port (the sofia profile's {@code sip-port})
 * @param account the user the phone registers and calls as
 * @param localPort the phone's own UDP port on 127.0.0.1; 0 picks a free one when the phone is created
 * @param timeout longest one REGISTER or call set-up may take; sipp is killed after it (a call's hold time is added)
 * @param agentLifetime longest an answering agent runs before its sipp is stopped regardless
 * @param traceDirectory folder for sipp's scenarios, message traces, error logs and output, created if missing
 */
public record SipPhoneSettings(String switchHost, int switchPort, SipAccount account, int localPort, Duration timeout,
                               Duration agentLifetime, Path traceDirectory) {

    /** Default {@link #timeout()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Default {@link #agentLifetime()}. */
    public static final Duration DEFAULT_AGENT_LIFETIME = Duration.ofMinutes(5);

    /** Checks the arguments. */
    public SipPhoneSettings {
        Objects.requireNonNull(switchHost, "switchHost");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(agentLifetime, "agentLifetime");
        Objects.requireNonNull(traceDirectory, "traceDirectory");
        if (!isLoopback(switchHost)) {
            throw new IllegalArgumentException("switchHost must be a loopback address, got '" + switchHost + "'");
        }
        requirePort(switchPort, "switchPort", false);
        requirePort(localPort, "localPort", true);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 s, got " + timeout);
        }
        if (agentLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("agentLifetime must be at least 1 s, got " + agentLifetime);
        }
    }

    /** A phone for {@code account} talking to a switch on 127.0.0.1:{@code switchPort}, with default limits. */
    public static SipPhoneSettings of(int switchPort, SipAccount account, Path traceDirectory) {
        return new SipPhoneSettings("127.0.0.1", switchPort, account, 0, DEFAULT_TIMEOUT, DEFAULT_AGENT_LIFETIME,
                traceDirectory);
    }

    /** The same settings with another local port (0 = pick a free one). */
    public SipPhoneSettings withLocalPort(int port) {
        return new SipPhoneSettings(switchHost, switchPort, account, port, timeout, agentLifetime, traceDirectory);
    }

    /** The same settings with another timeout for one REGISTER or call set-up. */
    public SipPhoneSettings withTimeout(Duration value) {
        return new SipPhoneSettings(switchHost, switchPort, account, localPort, value, agentLifetime, traceDirectory);
    }

    /** The same settings with another longest lifetime for answering agents. */
    public SipPhoneSettings withAgentLifetime(Duration value) {
        return new SipPhoneSettings(switchHost, switchPort, account, localPort, timeout, value, traceDirectory);
    }

    /** The same settings for another account, e.g. a second phone in the same test. */
    public SipPhoneSettings withAccount(SipAccount other) {
        return new SipPhoneSettings(switchHost, switchPort, other, localPort, timeout, agentLifetime, traceDirectory);
    }

    private static void requirePort(int port, String field, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(field + " must be " + (zeroAllowed ? "0" : "1") + "-65535, got " + port);
        }
    }

    private static boolean isLoopback(String host) {
        if (!host.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':')) {
            return false; // a name would need a DNS lookup; loopback literals only
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

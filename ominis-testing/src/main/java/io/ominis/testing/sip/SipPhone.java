package io.ominis.testing.sip;

import io.ominis.testing.sip.internal.LoopbackPorts;
import io.ominis.testing.sip.internal.MessageTrace;
import io.ominis.testing.sip.internal.ScenarioFile;
import io.ominis.testing.sip.internal.SippRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SIP phone on 127.0.0.1 driven through sipp: it registers with digest authentication, calls numbers, or answers
 * calls in the background as an agent's phone would.
 *
 * <pre>{@code
 * Sipp sipp = Sipp.locate();                              // OMINIS_SIPP, else sipp on PATH
 * Path traces = Path.of("target/sipp");
 * SipPhone agent = new SipPhone(sipp, SipPhoneSettings.of(5080, new SipAccount("1002", "secret", "127.0.0.1"), traces));
 * SipPhone caller = new SipPhone(sipp, SipPhoneSettings.of(5080, new SipAccount("1001", "secret", "127.0.0.1"), traces));
 *
 * assertThat(caller.register().status()).isEqualTo(200);
 * try (AnsweringAgent answering = agent.answerCalls()) {    // registers, then answers every INVITE
 *     CallOutcome call = caller.call("1002", Duration.ofSeconds(2));
 *     assertThat(call.status()).isEqualTo(200);
 *     assertThat(answering.stop().answeredCalls()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Every operation runs one sipp process with a hard deadline ({@link SipPhoneSettings#timeout()}) and leaves its
 * scenario, message traces and output in {@link SipPhoneSettings#traceDirectory()} under names starting with
 * {@code <user>-<n>-<operation>}. All operations use the same local port, so a phone registers from the port it
 * answers calls on; while its agent runs, the phone cannot place calls. A phone is safe to use from one thread at a
 * time.
 */
public final class SipPhone {

    /** Expiry of {@link #register()}. */
    public static final Duration DEFAULT_EXPIRES = Duration.ofHours(1);

    private final Sipp sipp;
    private final SipPhoneSettings settings;
    private final int localPort;
    private final AtomicInteger runs = new AtomicInteger();

    /**
     * A phone for {@code settings}; picks its local port now when the settings leave it 0.
     *
     * @param sipp the sipp binary, e.g. {@link Sipp#locate()}
     * @param settings the switch, the account and the limits
     */
    public SipPhone(Sipp sipp, SipPhoneSettings settings) {
        this.sipp = Objects.requireNonNull(sipp, "sipp");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.localPort = settings.localPort() == 0 ? LoopbackPorts.freeUdpPort() : settings.localPort();
        try {
            Files.createDirectories(settings.traceDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create trace folder " + settings.traceDirectory(), e);
        }
    }

    /** The settings this phone was made with. */
    public SipPhoneSettings settings() {
        return settings;
    }

    /** The UDP port on 127.0.0.1 the phone sends from and answers on. */
    public int localPort() {
        return localPort;
    }

    /** The phone's account. */
    public SipAccount account() {
        return settings.account();
    }

    /** Registers for {@link #DEFAULT_EXPIRES}, answering the switch's digest challenge. */
    public Registration register() {
        return register(DEFAULT_EXPIRES);
    }

    /**
     * Registers with {@code Expires} of {@code expires} (whole seconds), answering one digest challenge.
     *
     * @return the switch's answer; a refusal (403, ...) is a result, not an exception
     * @throws SippException when sipp cannot run
     */
    public Registration register(Duration expires) {
        if (expires.isNegative()) {
            throw new IllegalArgumentException("expires must not be negative, got " + expires);
        }
        return registration(expires.toSeconds() == 0 ? "unregister" : "register", expires.toSeconds());
    }

    /** Removes this phone's registration ({@code Expires: 0}), answering the digest challenge. */
    public Registration unregister() {
        return registration("unregister", 0);
    }

    private Registration registration(String operation, long expiresSeconds) {
        SipAccount account = settings.account();
        List<String> arguments = new ArrayList<>(common());
        arguments.addAll(List.of("-m", "1",
                "-key", "expires", Long.toString(expiresSeconds),
                "-auth_uri", account.domain()));
        Instant started = Instant.now();
        SippRun run = SippRun.start(sipp, settings.traceDirectory(), label(operation),
                new ScenarioFile("register.xml", Map.of()), remote(), arguments, settings.timeout());
        run.awaitExit();
        MessageTrace trace = run.trace();
        return new Registration(trace.finalStatus("REGISTER"), trace.receivedStatuses("REGISTER"),
                trace.transactionTime("REGISTER", Duration.between(started, Instant.now())), run.messageLog());
    }

    /**
     * Calls {@code number} at the account's domain ({@code INVITE sip:<number>@<domain>}), answering one digest
     * challenge; once answered, ACKs, holds the call for {@code hold} (unless the switch hangs up first) and sends
     * BYE. Other final responses are acknowledged and reported.
     *
     * @param number the user part to call, e.g. {@code 1002} or {@code 9999}
     * @param hold how long to stay in the call once answered
     * @return the codes the switch answered and the Call-ID
     * @throws SippException when sipp cannot run or sends nothing
     */
    public CallOutcome call(String number, Duration hold) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(hold, "hold");
        if (!number.matches("[A-Za-z0-9*#+._-]+")) {
            throw new IllegalArgumentException("number must be a SIP user part (letters, digits, * # + . _ -), got '"
                    + number + "'");
        }
        if (hold.isNegative()) {
            throw new IllegalArgumentException("hold must not be negative, got " + hold);
        }
        SipAccount account = settings.account();
        List<String> arguments = new ArrayList<>(common());
        arguments.addAll(List.of("-m", "1", "-s", number,
                "-auth_uri", number + "@" + account.domain(),
                "-rtp_echo"));
        Instant started = Instant.now();
        SippRun run = SippRun.start(sipp, settings.traceDirectory(), label("call-" + number),
                new ScenarioFile("call.xml", Map.of("HOLD_MS", Long.toString(Math.max(1, hold.toMillis())))),
                remote(), arguments, settings.timeout().plus(hold));
        run.awaitExit();
        MessageTrace trace = run.trace();
        String callId = trace.messages().stream()
                .filter(message -> message.sent() && message.isRequest("INVITE"))
                .findFirst()
                .orElseThrow(() -> new SippException("sipp sent no INVITE; see " + run.messageLog()))
                .callId();
        return new CallOutcome(callId, trace.finalStatus("INVITE"), trace.receivedStatuses("INVITE"),
                trace.transactionTime("INVITE", Duration.between(started, Instant.now())),
                !trace.callIdsEndedByPeer().isEmpty(), run.messageLog());
    }

    /**
     * Registers, then answers every incoming INVITE (180, 200 with SDP, waits for the ACK) and stays in each call
     * until the switch sends BYE; in the background until {@link AnsweringAgent#stop()} or
     * {@link SipPhoneSettings#agentLifetime()}.
     *
     * @throws SippException when the REGISTER is refused or sipp cannot run
     */
    public AnsweringAgent answerCalls() {
        return startAgent(settings.agentLifetime());
    }

    /**
     * Like {@link #answerCalls()}, but the agent sends BYE itself {@code hangUpAfter} after each ACK unless the
     * switch hangs up first.
     */
    public AnsweringAgent answerCalls(Duration hangUpAfter) {
        Objects.requireNonNull(hangUpAfter, "hangUpAfter");
        if (hangUpAfter.isNegative() || hangUpAfter.isZero()) {
            throw new IllegalArgumentException("hangUpAfter must be positive, got " + hangUpAfter);
        }
        return startAgent(hangUpAfter);
    }

    private AnsweringAgent startAgent(Duration hangUpAfter) {
        Registration registration = register();
        if (!registration.succeeded()) {
            throw new SippException("REGISTER of " + account().address() + " got " + registration.status()
                    + " (responses " + registration.responses() + "); see " + registration.messageLog());
        }
        List<String> arguments = new ArrayList<>(common());
        arguments.addAll(List.of("-rtp_echo", "-aa"));
        SippRun run = SippRun.start(sipp, settings.traceDirectory(), label("answer"),
                new ScenarioFile("answer.xml", Map.of("HANG_UP_AFTER_MS", Long.toString(hangUpAfter.toMillis()))),
                null, arguments, settings.agentLifetime());
        Instant deadline = Instant.now().plus(settings.timeout());
        while (LoopbackPorts.isFree(localPort)) {
            if (!run.isAlive()) {
                run.failOnFatalExit();
                throw new SippException("answering sipp exited before binding 127.0.0.1:" + localPort + "; see "
                        + run.command());
            }
            if (Instant.now().isAfter(deadline)) {
                run.stop();
                throw new SippException("answering sipp did not bind 127.0.0.1:" + localPort + " within "
                        + settings.timeout());
            }
            pause(Duration.ofMillis(20));
        }
        return new AnsweringAgent(this, run, registration);
    }

    private List<String> common() {
        SipAccount account = settings.account();
        return List.of("-p", Integer.toString(localPort),
                "-mp", Integer.toString(LoopbackPorts.freeMediaPort()),
                "-key", "user", account.user(),
                "-key", "domain", account.domain(),
                "-au", account.user(),
                "-ap", account.password());
    }

    private String remote() {
        return settings.switchHost() + ":" + settings.switchPort();
    }

    private String label(String operation) {
        String label;
        do {
            label = settings.account().user() + "-" + String.format("%02d", runs.incrementAndGet()) + "-" + operation;
        } while (Files.exists(settings.traceDirectory().resolve(label + ".xml")));
        return label;
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SippException("interrupted", e);
        }
    }

    Path traceDirectory() {
        return settings.traceDirectory();
    }
}

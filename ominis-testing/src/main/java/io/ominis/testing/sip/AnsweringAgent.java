package io.ominis.testing.sip;

import io.ominis.testing.sip.internal.MessageTrace;
import io.ominis.testing.sip.internal.SippRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered phone answering calls in the background (a sipp server process), from
 * {@link SipPhone#answerCalls()}. {@link #stop()} (or {@link #close()}) ends sipp and un-registers.
 */
public final class AnsweringAgent implements AutoCloseable {

    private final SipPhone phone;
    private final SippRun run;
    private final Registration registration;
    private AgentReport report;

    AnsweringAgent(SipPhone phone, SippRun run, Registration registration) {
        this.phone = Objects.requireNonNull(phone, "phone");
        this.run = Objects.requireNonNull(run, "run");
        this.registration = Objects.requireNonNull(registration, "registration");
    }

    /** The REGISTER done before answering. */
    public Registration registration() {
        return registration;
    }

    /** How many calls have been answered so far (200 sent and ACK received). */
    public int answeredCalls() {
        return run.trace().answeredCallIds().size();
    }

    /**
     * Waits until at least {@code count} calls have been answered or {@code within} has passed.
     *
     * @return the number of calls answered by then, which may be less than {@code count}
     */
    public int awaitAnsweredCalls(int count, Duration within) {
        Instant deadline = Instant.now().plus(within);
        int answered = answeredCalls();
        while (answered < count && Instant.now().isBefore(deadline) && run.isAlive()) {
            SipPhone.pause(Duration.ofMillis(50));
            answered = answeredCalls();
        }
        return answered;
    }

    /** Whether sipp is still answering (false after {@link #stop()} or once the agent lifetime has passed). */
    public boolean isRunning() {
        return run.isAlive();
    }

    /** The full message trace of the answering sipp. */
    public Path messageLog() {
        return run.messageLog();
    }

    /**
     * Stops answering (calls still up are dropped without BYE), un-registers and reports; later calls return the
     * same report.
     */
    public synchronized AgentReport stop() {
        if (report == null) {
            run.stop();
            MessageTrace trace = run.trace();
            Registration unregistration = phone.unregister();
            report = new AgentReport(registration, trace.answeredCallIds(), trace.callIdsEndedByPeer().size(),
                    unregistration);
        }
        return report;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}

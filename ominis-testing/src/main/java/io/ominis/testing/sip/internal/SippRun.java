package io.ominis.testing.sip.internal;

import io.ominis.testing.sip.Sipp;
import io.ominis.testing.sip.SippException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One sipp process on 127.0.0.1 with a hard deadline: sipp's own {@code -timeout} plus {@code -timeout_error}, and
 * a forced kill from here if it outlives that by {@link #GRACE}. Everything it writes goes to files named
 * {@code <label>-*} in the trace folder: the scenario as run ({@code .xml}), the full message trace
 * ({@code -messages.log}), the short trace this class reads ({@code -short.log}), unexpected messages
 * ({@code -errors.log}), the final statistics screen ({@code -screen.log}) and stdout/stderr.
 */
public final class SippRun {

    /** How long past sipp's own timeout the process may live before it is killed. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final Path directory;
    private final String label;
    private final Duration limit;
    private final List<String> command;

    private SippRun(Process process, Path directory, String label, Duration limit, List<String> command) {
        this.process = process;
        this.directory = directory;
        this.label = label;
        this.limit = limit;
        this.command = command;
    }

    /**
     * Starts sipp.
     *
     * @param sipp the binary
     * @param directory trace folder, created if missing
     * @param label file name prefix of this run, e.g. {@code 03-1002-answer}
     * @param scenario the scenario, written to {@code <label>.xml}
     * @param remote {@code host:port} of the switch, or null for a pure server (an answering agent)
     * @param arguments scenario-specific arguments (ports, keywords, credentials, call limit)
     * @param limit sipp's global timeout; the process is killed {@link #GRACE} after it
     */
    public static SippRun start(Sipp sipp, Path directory, String label, ScenarioFile scenario, String remote,
                                List<String> arguments, Duration limit) {
        directory = directory.toAbsolutePath();
        Path scenarioFile = scenario.writeTo(directory.resolve(label + ".xml"));
        List<String> command = new ArrayList<>();
        command.add(sipp.executable().toString());
        if (remote != null) {
            command.add(remote);
        }
        command.addAll(List.of("-sf", scenarioFile.toString(), "-nostdin", "-t", "u1",
                "-i", "127.0.0.1", "-bind_local", "-mi", "127.0.0.1",
                "-cp", Integer.toString(LoopbackPorts.freeUdpPort()),
                "-timeout", Math.max(1, (limit.toMillis() + 999) / 1000) + "s", "-timeout_error",
                "-trace_msg", "-message_file", file(directory, label, "-messages.log"),
                "-trace_shortmsg", "-shortmessage_file", file(directory, label, "-short.log"),
                "-trace_err", "-error_file", file(directory, label, "-errors.log"),
                "-trace_screen", "-screen_file", file(directory, label, "-screen.log")));
        command.addAll(arguments);
        try {
            Files.writeString(directory.resolve(label + "-command.txt"), String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(directory.resolve(label + "-stdout.log").toFile())
                    .redirectError(directory.resolve(label + "-stderr.log").toFile())
                    .start();
            return new SippRun(process, directory, label, limit, List.copyOf(command));
        } catch (IOException e) {
            throw new SippException("cannot start " + sipp.executable() + ": " + e.getMessage(), e);
        }
    }

    private static String file(Path directory, String label, String suffix) {
        return directory.resolve(label + suffix).toString();
    }

    /** Waits for sipp to finish on its own, killing it after its timeout plus {@link #GRACE}. */
    public void awaitExit() {
        try {
            if (!process.waitFor(limit.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
            }
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
        }
        failOnFatalExit();
    }

    /** Ends sipp: SIGTERM, then SIGKILL if it is still there after a second. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether sipp is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Throws when sipp has exited without running its scenario: 254 (a socket could not be bound), or any failure
     * before it sent or received a message (bad arguments or files give 255, a scenario it cannot parse 1). A
     * scenario cut short by {@code -timeout_error} also exits with 255, but after its messages: that is a result.
     */
    public void failOnFatalExit() {
        if (process.isAlive()) {
            return;
        }
        int code = process.exitValue();
        if (code == 254 || code != 0 && trace().messages().isEmpty()) {
            throw new SippException("sipp exited with " + code + (code == 254 ? " (cannot bind its socket)" : "")
                    + ": " + stderrTail() + "; command and logs in " + directory.resolve(label + "-command.txt"));
        }
    }

    /** The messages sipp has traced so far. */
    public MessageTrace trace() {
        return MessageTrace.read(directory.resolve(label + "-short.log"));
    }

    /** The full message trace file. */
    public Path messageLog() {
        return directory.resolve(label + "-messages.log");
    }

    /** The command line, for messages. */
    public List<String> command() {
        return command;
    }

    private String stderrTail() {
        try {
            String text = Files.readString(directory.resolve(label + "-stderr.log"), StandardCharsets.UTF_8).strip();
            return text.length() > 600 ? "…" + text.substring(text.length() - 600) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.ominis.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's {@code promtool} (Debian package {@code prometheus}, installed by {@code .ci/run}) and fails the
 * test with its output when it does not succeed. A missing promtool fails too: CI installs it, so it is never skipped.
 */
final class Promtool {

    /** The repository's {@code deploy/} folder (tests run in the module's folder). */
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    private Promtool() {
    }

    /** Runs {@code promtool args…} in {@code dir} and returns its output, asserting exit code 0. */
    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed (apt-get install prometheus; .ci/run does)", e);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished within 60 s").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    /** Writes {@code text} to a fresh file named {@code name} in a temporary folder and returns that folder. */
    static Path folderWith(String name, String text) throws IOException {
        Path dir = Files.createTempDirectory("promtool");
        Files.writeString(dir.resolve(name), text);
        return dir;
    }
}

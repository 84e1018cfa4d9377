package io.ominis.testing.sip;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The sipp binary that phones run.
 *
 * @param executable path of the {@code sipp} executable
 */
public record Sipp(Path executable) {

    /** Environment setting naming the sipp binary; when unset, {@code sipp} is looked up on {@code PATH}. */
    public static final String SETTING = "OMINIS_SIPP";

    /** Checks the argument. */
    public Sipp {
        Objects.requireNonNull(executable, "executable");
    }

    /** The sipp named by {@code OMINIS_SIPP}, else {@code sipp} on {@code PATH}. */
    public static Sipp locate() {
        return locate(System.getenv());
    }

    /**
     * The sipp named by {@code OMINIS_SIPP} in {@code environment}, else {@code sipp} on its {@code PATH}.
     *
     * @throws SippException when neither names an executable file, saying how to install sipp
     */
    public static Sipp locate(Map<String, String> environment) {
        String configured = environment.get(SETTING);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new SippException(SETTING + "=" + configured + " is not an executable file; point it at the"
                        + " sipp binary or unset it to use sipp on PATH (Debian/Ubuntu: apt-get install -y sip-tester)");
            }
            return new Sipp(path);
        }
        String searchPath = environment.getOrDefault("PATH", "");
        for (String folder : searchPath.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, "sipp");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new Sipp(candidate);
            }
        }
        throw new SippException("sipp not found on PATH and " + SETTING + " is unset: install it (Debian/Ubuntu:"
                + " apt-get install -y sip-tester) or set " + SETTING + " to the sipp binary");
    }
}

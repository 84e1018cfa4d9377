package io.ominis.testing.freeswitch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a FreeSWITCH build is: {@code OMINIS_FREESWITCH_PREFIX} (environment, then system property), else the newest
 * complete build of {@code bin/freeswitch-build} under {@code /opt/ominis}.
 *
 * @param prefix the installation prefix ({@code bin/freeswitch}, {@code lib/freeswitch/mod})
 */
public record FreeSwitchInstallation(Path prefix) {

    /** The setting naming an installation prefix. */
    public static final String SETTING = "OMINIS_FREESWITCH_PREFIX";

    static final Path BUILDS = Path.of("/opt/ominis");

    /** The FreeSWITCH executable. */
    public Path binary() {
        return prefix.resolve("bin/freeswitch");
    }

    /**
     * Finds the installation.
     *
     * @throws IllegalStateException saying how to get one when there is none
     */
    public static FreeSwitchInstallation find() {
        String configured = Optional.ofNullable(System.getenv(SETTING)).filter(s -> !s.isBlank())
                .orElse(System.getProperty(SETTING));
        if (configured != null && !configured.isBlank()) {
            FreeSwitchInstallation named = new FreeSwitchInstallation(Path.of(configured));
            if (!Files.isExecutable(named.binary())) {
                throw new IllegalStateException(SETTING + "=" + configured + " has no executable bin/freeswitch");
            }
            return named;
        }
        return newestBuild().orElseThrow(() -> new IllegalStateException("No FreeSWITCH to test against: run "
                + "bin/freeswitch-build (builds 1.10.12 into " + BUILDS + ", about 6 minutes) or set " + SETTING
                + " to the prefix of your own build (with mod_xml_curl, mod_xml_rpc, mod_callcenter, mod_odbc_cdr, "
                + "mod_sofia and ODBC core support)"));
    }

    private static Optional<FreeSwitchInstallation> newestBuild() {
        if (!Files.isDirectory(BUILDS)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(BUILDS)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("freeswitch-"))
                    .filter(d -> Files.isRegularFile(d.resolve(".ominis-build")))
                    .filter(d -> Files.isExecutable(d.resolve("bin/freeswitch")))
                    .max(Comparator.comparingLong(FreeSwitchInstallation::completedAt))
                    .map(FreeSwitchInstallation::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long completedAt(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve(".ominis-build")).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

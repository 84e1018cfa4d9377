package io.ominis.db.admin;

import io.ominis.core.OminisException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks what building, running and testing Ominis needs ({@code ominis doctor}): each program on a given
 * {@code PATH} with its version, the configured PostgreSQL, and the FreeSWITCH build, and names the Debian package
 * that provides whatever is missing.
 */
public final class Prerequisites {

    /**
     * One program to look for.
     *
     * @param name        what to call it in the report
     * @param program     the executable's name on {@code PATH}
     * @param versionArgs arguments that make it print its version
     * @param debian      the Debian package(s) that install it
     * @param required    whether running Ominis needs it (otherwise only building or testing does)
     */
    public record Tool(String name, String program, List<String> versionArgs, String debian, boolean required) {
        public Tool {
            versionArgs = List.copyOf(versionArgs);
        }
    }

    /**
     * The outcome of one check.
     *
     * @param name     what was checked
     * @param ok       whether it is present and working
     * @param detail   its version or where it is, or what went wrong
     * @param install  what to install when it is missing (Debian package names); empty when present
     * @param required whether its absence makes {@code doctor} fail
     */
    public record Check(String name, boolean ok, String detail, String install, boolean required) {
    }

    /** Everything the README's prerequisites list names, in that order. */
    public static final List<Tool> TOOLS = List.of(
            new Tool("Java 17", "java", List.of("-version"), "openjdk-17-jdk-headless", true),
            new Tool("Maven 3.8+", "mvn", List.of("-v"), "maven", false),
            new Tool("PostgreSQL client (psql)", "psql", List.of("--version"), "postgresql-client-15", false),
            new Tool("pg_dump", "pg_dump", List.of("--version"), "postgresql-client-15", true),
            new Tool("pg_restore", "pg_restore", List.of("--version"), "postgresql-client-15", true),
            new Tool("unixODBC", "odbcinst", List.of("--version"), "unixodbc", false),
            new Tool("sipp", "sipp", List.of("-v"), "sip-tester", false),
            new Tool("pgBackRest", "pgbackrest", List.of("version"), "pgbackrest", false),
            new Tool("Chromium", "chromium", List.of("--version"), "chromium", false),
            new Tool("chromedriver", "chromedriver", List.of("--version"), "chromium-driver", false),
            new Tool("promtool", "promtool", List.of("--version"), "prometheus", false));

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);

    private Prerequisites() {
    }

    /**
     * Runs every check.
     *
     * @param searchPath     the {@code PATH} to look for programs on
     * @param database       the configured database, tried with its own connect timeout
     * @param freeSwitchRoot where FreeSWITCH builds live ({@code /opt/ominis}); one is present when a
     *                       {@code freeswitch-*}/bin/freeswitch exists under it
     */
    public static List<Check> check(String searchPath, DatabaseSettings database, Path freeSwitchRoot) {
        List<Check> checks = new ArrayList<>();
        for (Tool tool : TOOLS) {
            checks.add(check(tool, searchPath));
        }
        checks.add(checkDatabase(database));
        checks.add(checkFreeSwitch(freeSwitchRoot));
        return checks;
    }

    /** Whether {@code checks} found everything required. */
    public static boolean allRequiredPresent(List<Check> checks) {
        return checks.stream().allMatch(c -> c.ok() || !c.required());
    }

    static Check check(Tool tool, String searchPath) {
        Optional<Path> found = onPath(tool.program(), searchPath);
        if (found.isEmpty()) {
            return new Check(tool.name(), false, tool.program() + " not on PATH", tool.debian(), tool.required());
        }
        List<String> command = new ArrayList<>();
        command.add(found.get().toString());
        command.addAll(tool.versionArgs());
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PATH", searchPath);
        try {
            String output = PgTools.execute(command, env, VERSION_TIMEOUT, tool.program());
            String first = output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
            return new Check(tool.name(), true, found.get() + ": " + first, "", tool.required());
        } catch (OminisException e) {
            return new Check(tool.name(), false, found.get() + " does not run: " + e.getMessage(), tool.debian(),
                    tool.required());
        }
    }

    private static Check checkDatabase(DatabaseSettings database) {
        String name = "PostgreSQL " + database.describe();
        try (var pool = ConnectionPool.open(database.withPoolSize(1));
                var c = pool.getConnection()) {
            return new Check(name, true, "reachable, server " + c.getMetaData().getDatabaseProductVersion(), "",
                    true);
        } catch (OminisException | java.sql.SQLException e) {
            return new Check(name, false, e.getMessage(), "postgresql-15 (or fix DB_DSN / DB_HOST…)", true);
        }
    }

    private static Check checkFreeSwitch(Path root) {
        try (Stream<Path> builds = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            Optional<Path> build = builds.filter(p -> p.getFileName().toString().startsWith("freeswitch-"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/freeswitch")))
                    .sorted()
                    .reduce((a, b) -> b);
            return build.map(p -> new Check("FreeSWITCH build", true, p.toString(), "", false))
                    .orElseGet(() -> new Check("FreeSWITCH build", false, "no " + root + "/freeswitch-*/bin/freeswitch",
                            "run bin/freeswitch-build", false));
        } catch (IOException e) {
            return new Check("FreeSWITCH build", false, "cannot list " + root + ": " + e.getMessage(),
                    "run bin/freeswitch-build", false);
        }
    }

    private static Optional<Path> onPath(String program, String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

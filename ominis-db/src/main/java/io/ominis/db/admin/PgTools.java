package io.ominis.db.admin;

import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.OperationFailedException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and runs PostgreSQL's client programs ({@code pg_dump}, {@code pg_restore}). The password reaches the child
 * only through {@code PGPASSWORD} in its environment: never on its command line (visible in {@code ps}) or in our
 * output.
 */
public final class PgTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final int MAX_OUTPUT = 64 * 1024;
    /** A dump or restore that has not ended after this long is taken as hung rather than slow. */
    private static final Duration DUMP_TIMEOUT = Duration.ofHours(12);

    private PgTools() {
    }

    /** A located program and its major version. */
    public record Tool(Path path, int major) {
    }

    /** The server's major version, e.g. 15. */
    public static int serverMajor(DatabaseSettings db) {
        try (Connection c = connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10_000;
        } catch (SQLException e) {
            throw new OperationFailedException("cannot connect to database " + db.describe() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** A plain JDBC connection (no pool) for a one-off command. */
    public static Connection connect(DatabaseSettings db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        props.setProperty("connectTimeout", Long.toString(Math.max(1, db.connectTimeout().toSeconds())));
        props.setProperty("ApplicationName", "ominis");
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }

    /**
     * Finds {@code program} on {@code PATH} or under {@code /usr/lib/postgresql/<major>/bin}, choosing the newest
     * major version that is at least the server's: pg_dump refuses to dump a newer server, and an older pg_restore
     * cannot read a newer archive.
     */
    public static Tool locate(String program, int serverMajor, String pathVariable) {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String dir : (pathVariable == null ? "" : pathVariable).split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, program));
            }
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(versions)) {
                dirs.forEach(d -> candidates.add(d.resolve("bin").resolve(program)));
            } catch (IOException e) {
                // a directory we cannot list simply offers no candidates
            }
        }
        Tool best = null;
        List<String> seen = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            int major = majorVersion(candidate);
            seen.add(candidate + " (" + (major < 0 ? "unknown version" : major) + ")");
            if (major >= serverMajor && (best == null || major > best.major())) {
                best = new Tool(candidate, major);
            }
        }
        if (best == null) {
            throw new OperationFailedException(program + " for PostgreSQL " + serverMajor + " or newer not found on PATH "
                    + "or under /usr/lib/postgresql/*/bin" + (seen.isEmpty() ? "" : "; found " + String.join(", ", seen))
                    + "; install postgresql-client-" + serverMajor);
        }
        return best;
    }

    /** The connection options every client program takes; no password among them. */
    public static List<String> connectionArguments(DatabaseSettings db) {
        // libpq takes host and port lists in the same order; run() adds PGTARGETSESSIONATTRS for several hosts
        String hosts = db.endpoints().stream().map(DatabaseSettings.Endpoint::host)
                .collect(java.util.stream.Collectors.joining(","));
        String ports = db.endpoints().stream().map(e -> Integer.toString(e.port()))
                .collect(java.util.stream.Collectors.joining(","));
        return List.of("--host=" + hosts, "--port=" + ports, "--username=" + db.user(), "--no-password");
    }

    /**
     * Runs the program to completion (at most 12 hours) and fails with its last error line if it exits non-zero.
     *
     * @param what a short description for the error message, e.g. "pg_dump"
     */
    public static void run(List<String> command, DatabaseSettings db, String what) {
        execute(command, clientEnvironment(db), DUMP_TIMEOUT, what);
    }

    /**
     * This process's environment with libpq's variables set for {@code db}: the password only as {@code PGPASSWORD},
     * a connect timeout, the application name, and for several hosts the writable one.
     */
    public static Map<String, String> clientEnvironment(DatabaseSettings db) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove("PGPASSWORD");
        if (db.password() != null) {
            env.put("PGPASSWORD", db.password());
        }
        String sslmode = db.parameters().get("sslmode");
        if (sslmode != null) {
            env.put("PGSSLMODE", sslmode);
        }
        env.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(2, db.connectTimeout().toSeconds())));
        env.put("PGAPPNAME", "ominis");
        if (db.multiHost()) {
            // the primary: a restore writes, and a dump of the primary is the current one
            env.put("PGTARGETSESSIONATTRS", "read-write");
        } else {
            env.remove("PGTARGETSESSIONATTRS");
        }
        return env;
    }

    /**
     * Runs {@code command} with {@code environment} as its whole environment, its output (both streams) kept in a
     * private temporary file so that a chatty child can never block on a full pipe while the timeout runs. Past the
     * timeout the child and its descendants are killed and the call fails.
     *
     * @return what the program printed, at most the last 64 KiB
     * @throws OperationFailedException on a non-zero exit (with its last output line), a timeout, or an interruption
     */
    public static String execute(List<String> command, Map<String, String> environment, Duration timeout,
            String what) {
        Path output = null;
        Process p = null;
        try {
            output = Files.createTempFile("ominis-tool", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(environment);
            p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new OperationFailedException(what + " did not finish within " + timeout.toSeconds()
                        + " s and was stopped");
            }
            String text = tail(output);
            if (p.exitValue() != 0) {
                throw new OperationFailedException(what + " failed (exit " + p.exitValue() + "): " + lastLine(text));
            }
            return text;
        } catch (IOException e) {
            throw new OperationFailedException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new OperationFailedException(what + " was interrupted", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover file in the temp directory holds only the tool's own messages
                }
            }
        }
    }

    private static void kill(Process p) {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String tail(Path file) throws IOException {
        long size = Files.size(file);
        try (var in = Files.newInputStream(file)) {
            in.skipNBytes(Math.max(0, size - MAX_OUTPUT));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int majorVersion(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            Matcher m = VERSION.matcher(out);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "no output";
    }

    /** The first line of a driver message, which may run over several. */
    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

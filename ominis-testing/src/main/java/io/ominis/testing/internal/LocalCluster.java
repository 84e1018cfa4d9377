package io.ominis.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL cluster of this machine's binaries in a data directory of its own, driven with {@code initdb},
 * {@code pg_basebackup} and {@code pg_ctl}. PostgreSQL refuses to run as root, so when the JVM runs as root every
 * command runs as the {@code postgres} OS user ({@code runuser}) and the files are handed to that user.
 */
public final class LocalCluster {

    /** Where Debian's PostgreSQL 15 installs its programs; {@code OMINIS_PG_BIN} overrides it. */
    public static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final String OS_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path bin;
    private final Path dataDir;
    private final Path socketDir;
    private final int port;
    private final String name;

    private LocalCluster(Path bin, Path dataDir, Path socketDir, int port, String name) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.socketDir = socketDir;
        this.port = port;
        this.name = name;
    }

    /** The PostgreSQL programs to use: {@code OMINIS_PG_BIN} if set, else {@link #DEFAULT_BIN}. */
    public static Path binaries() {
        String env = System.getenv("OMINIS_PG_BIN");
        Path bin = env == null || env.isBlank() ? DEFAULT_BIN : Path.of(env);
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new IllegalStateException("no PostgreSQL programs (initdb, pg_ctl) in " + bin
                    + "; install postgresql-15 or set OMINIS_PG_BIN");
        }
        return bin;
    }

    /** A scratch directory the cluster's OS user owns, under the JVM's temporary directory. */
    public static Path scratchDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            handOver(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new primary: {@code initdb} with trust authentication on loopback, streaming replication allowed, listening
     * on 127.0.0.1:{@code port} only. Replication starts asynchronous: a commit would wait for a synchronous standby
     * that does not exist yet (see {@code ReplicatedPostgres} for switching it on once the standby streams).
     */
    public static LocalCluster initPrimary(Path bin, Path root, String name, int port) {
        Path data = root.resolve(name);
        LocalCluster cluster = new LocalCluster(bin, data, root, port, name);
        cluster.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
        cluster.appendConfiguration(List.of(
                "wal_level = replica",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "hot_standby = on",
                "wal_keep_size = '256MB'",
                "shared_buffers = '32MB'",
                "max_connections = 100"));
        cluster.write(data.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "local replication all trust",
                "host all all 127.0.0.1/32 trust",
                "host replication all 127.0.0.1/32 trust",
                ""), false);
        return cluster;
    }

    /**
     * A streaming standby of {@code primary}: a {@code pg_basebackup} of it with {@code standby.signal}, following it
     * as {@code application_name = name} (the name a synchronous primary waits for).
     */
    public static LocalCluster baseBackup(LocalCluster primary, String name, int port) {
        Path data = primary.socketDir.resolve(name);
        LocalCluster standby = new LocalCluster(primary.bin, data, primary.socketDir, port, name);
        standby.run(List.of(primary.bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(primary.port), "-U", "postgres", "-D", data.toString(), "-X", "stream",
                "--checkpoint=fast", "--no-sync"));
        standby.write(data.resolve("standby.signal"), "", false);
        // the base backup carries the primary's settings; this cluster names itself, and once promoted it has no
        // standby of its own, so it must not wait for one (the copied synchronous_standby_names would hang commits)
        standby.appendConfiguration(List.of(
                "primary_conninfo = 'host=127.0.0.1 port=" + primary.port + " user=postgres application_name=" + name
                        + "'",
                "synchronous_standby_names = ''"));
        return standby;
    }

    /**
     * A cluster whose data directory exists already (e.g. one a restore wrote), to run on {@code port} with its
     * socket and log in {@code root}.
     */
    public static LocalCluster existing(Path bin, Path root, String name, Path dataDir, int port) {
        return new LocalCluster(bin, dataDir, root, port, name);
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l",
                dataDir.resolveSibling(name + ".log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + socketDir, "start"));
    }

    /** A clean shutdown ({@code pg_ctl stop -m fast}): sessions are ended, a checkpoint is written. */
    public void stop() {
        if (running()) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60", "-m", "fast",
                    "stop"));
        }
    }

    /**
     * The server dies as in a power cut: SIGKILL to the postmaster and every backend, so clients see their
     * connections reset and nothing is flushed on the way out.
     */
    public void kill() {
        postmaster().ifPresent(p -> {
            List<ProcessHandle> all = new ArrayList<>();
            p.descendants().forEach(all::add);
            p.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
            p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        });
        // a killed postmaster leaves its pid file behind, which a later start checks and clears itself
    }

    /** Ends a standby's recovery ({@code pg_ctl promote -w}): it becomes a writable primary. */
    public void promote() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60", "promote"));
    }

    /** Whether a postmaster of this data directory is alive. */
    public boolean running() {
        return postmaster().map(ProcessHandle::isAlive).orElse(false);
    }

    private Optional<ProcessHandle> postmaster() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Connects as {@code postgres} to {@code database} with short connect and login timeouts. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** The server's log file (pg_ctl's {@code -l}). */
    public Path logFile() {
        return dataDir.resolveSibling(name + ".log");
    }

    private void appendConfiguration(List<String> lines) {
        write(dataDir.resolve("postgresql.auto.conf"), String.join("\n", lines) + "\n", true);
    }

    private void write(Path file, String text, boolean append) {
        try {
            if (append) {
                Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
            handOver(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives {@code path} to the {@code postgres} OS user when we are root (PostgreSQL checks its files' owner). */
    private static void handOver(Path path) throws IOException {
        if (!runningAsRoot()) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(OS_USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("ominis-pg-cmd", ".out");
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).directory(socketDir.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not finish within " + COMMAND_TIMEOUT);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (exit "
                            + process.exitValue() + "): " + Files.readString(output).strip() + tail());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private String tail() {
        try {
            if (!Files.exists(logFile())) {
                return "";
            }
            List<String> lines = Files.readAllLines(logFile());
            return "\nlast lines of " + logFile() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Deletes a scratch directory and everything in it; failures are ignored (it is under the temp directory). */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}

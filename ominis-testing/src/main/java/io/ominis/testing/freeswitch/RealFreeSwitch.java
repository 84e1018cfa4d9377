package io.ominis.testing.freeswitch;

import io.ominis.testing.freeswitch.internal.BaseConfiguration;
import io.ominis.testing.freeswitch.internal.FreeSwitchInstallation;
import io.ominis.testing.freeswitch.internal.FreeSwitchLog;
import io.ominis.testing.freeswitch.internal.FreePorts;
import io.ominis.xmlrpc.FreeSwitchClient;
import io.ominis.xmlrpc.FreeSwitchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that runs a real FreeSWITCH 1.10 for a test class: in the foreground, with its own conf, log, db
 * and run folders, SIP and XML-RPC on free loopback ports. Its configuration is a minimal base that this extension
 * writes (freeswitch.xml, vars, one SIP profile, loggers, a small dialplan) plus exactly the files the test hands it
 * — normally what {@code ominis freeswitch-config} generates, so that a test proves the generator and not a hand
 * edit.
 *
 * <pre>{@code
 * @RegisterExtension @Order(3)
 * static final RealFreeSwitch fs = RealFreeSwitch.builder()
 *         .configuration(sw -> generator.files(sw.xmlRpcPort(), server.url()))
 *         .build();
 * }</pre>
 *
 * <p>The FreeSWITCH installation is {@code OMINIS_FREESWITCH_PREFIX} (environment or system property) when set, else
 * the newest complete build of {@code bin/freeswitch-build} under {@code /opt/ominis}. After each test the log is
 * read: an {@code [ERR]} or {@code [CRIT]} line fails the test unless it matches an allowed pattern, which must say
 * why it is harmless. The log of every run is kept under {@code target/freeswitch/<test class>}.
 */
public final class RealFreeSwitch implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(RealFreeSwitch.class);

    /** The SIP domain (and digest realm) of the test profile. */
    public static final String DOMAIN = "ominis.test";

    /** mod_xml_rpc credentials the base expects the generated xml_rpc.conf to carry. */
    public static final String XMLRPC_USER = "ominis";
    public static final String XMLRPC_PASSWORD = "test-rpc-password-1";

    private final Function<RealFreeSwitch, Map<String, byte[]>> configuration;
    private final Map<String, String> environment;
    private final List<AllowedLog> allowed;
    private final Duration startTimeout;
    private final int sipPort;
    private final int xmlRpcPort;
    private final String switchName;

    private FreeSwitchInstallation installation;
    private Path home;
    private Process process;
    private boolean reaperInstalled;
    private FreeSwitchLog log;
    private FreeSwitchClient client;

    private RealFreeSwitch(Builder b) {
        this.configuration = b.configuration;
        this.environment = Map.copyOf(b.environment);
        this.allowed = List.copyOf(b.allowed);
        this.startTimeout = b.startTimeout;
        this.switchName = b.switchName;
        int[] ports = FreePorts.pick(2);
        this.sipPort = ports[0];
        this.xmlRpcPort = ports[1];
    }

    /** A builder; ports are chosen when {@link Builder#build()} runs, so other fixtures can be told them first. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A log line that may appear without failing the test.
     *
     * @param pattern found anywhere in the line
     * @param reason  why it is harmless; shown in the failure of lines that did not match
     */
    public record AllowedLog(Pattern pattern, String reason) {
        public AllowedLog {
            Objects.requireNonNull(pattern, "pattern");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("say why the line is harmless");
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        use(Path.of("target", "freeswitch", context.getRequiredTestClass().getSimpleName()));
        start();
    }

    /**
     * Outside JUnit (a benchmark, a demo): keep this switch's folders under {@code folder}, emptied first. Call before
     * {@link #start()}; without it {@code start()} uses {@code target/freeswitch/<switch name>}.
     */
    public synchronized RealFreeSwitch use(Path folder) throws IOException {
        installation = FreeSwitchInstallation.find();
        home = folder.toAbsolutePath();
        deleteTree(home);
        Files.createDirectories(home);
        return this;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (log != null) {
            checkLog();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts FreeSWITCH with a freshly written configuration and waits until it and its SIP profile answer. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("FreeSWITCH is already running");
        }
        try {
            if (home == null) {
                use(Path.of("target", "freeswitch", switchName));
            }
            Path conf = home.resolve("conf");
            deleteTree(conf);
            Map<String, byte[]> given = configuration.apply(this);
            boolean staticDirectory = given.keySet().stream().anyMatch(p -> p.startsWith("directory/"));
            Map<String, byte[]> files = new LinkedHashMap<>(BaseConfiguration.files(this, staticDirectory));
            files.putAll(given);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = conf.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            for (String dir : List.of("log", "db", "run", "temp", "sounds", "storage", "recordings", "cache")) {
                Files.createDirectories(home.resolve(dir));
            }
            Path logFile = home.resolve("log/freeswitch.log");
            log = new FreeSwitchLog(logFile);
            ProcessBuilder pb = new ProcessBuilder(installation.binary().toString(), "-nonat", "-nc", "-nf",
                    "-conf", conf.toString(), "-log", home.resolve("log").toString(),
                    "-db", home.resolve("db").toString(), "-run", home.resolve("run").toString(),
                    "-temp", home.resolve("temp").toString(), "-sounds", home.resolve("sounds").toString(),
                    "-storage", home.resolve("storage").toString(), "-recordings", home.resolve("recordings").toString(),
                    "-cache", home.resolve("cache").toString());
            pb.environment().putAll(environment);
            if (files.containsKey("odbc.ini")) {
                pb.environment().put("ODBCINI", conf.resolve("odbc.ini").toString());
            }
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/stdout.log").toFile()));
            LOG.info("starting FreeSWITCH from {}: SIP 127.0.0.1:{}, XML-RPC 127.0.0.1:{}, files in {}",
                    installation.prefix(), sipPort, xmlRpcPort, home);
            process = pb.start();
            if (!reaperInstalled) {
                // a JVM that ends without afterAll (a killed Surefire fork) must not leave the switch on its ports
                Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "freeswitch-reaper"));
                reaperInstalled = true;
            }
            client = FreeSwitchClient.builder().name(switchName).baseUrl("http://127.0.0.1:" + xmlRpcPort)
                    .user(XMLRPC_USER).password(XMLRPC_PASSWORD).connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(20)).retries(0).build();
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops FreeSWITCH: SIGTERM (a clean shutdown), then SIGKILL if it is still there after 20 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("FreeSWITCH did not stop within 20 s; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills FreeSWITCH at once, as a crash would: no shutdown, rows it wrote stay behind. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Runs an API command over XML-RPC, as {@code fs_cli -x "command argument"} would, and returns its output. */
    public String api(String command, String argument) {
        return client.api(command, argument == null ? "" : argument);
    }

    /** Like {@link #api(String, String)}, waiting up to {@code timeout} (e.g. for {@code originate}). */
    public String api(String command, String argument, Duration timeout) {
        return client.api(command, argument == null ? "" : argument, timeout);
    }

    /** The log lines written since the last {@link #clearLog()} (or start). */
    public List<String> logLines() {
        return log.linesSinceMark();
    }

    /** Forgets the lines read so far, for a test that looks for lines its own action causes. */
    public void clearLog() {
        checkLog();
        log.mark();
    }

    /**
     * Waits until a log line matching {@code pattern} appears (since the last {@link #clearLog()}), and returns it.
     *
     * @throws AssertionError when none appears within {@code timeout}
     */
    public String awaitLog(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : log.linesSinceMark()) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no FreeSWITCH log line matching " + pattern + " within " + timeout
                        + "; log: " + log.file());
            }
            sleep(100);
        }
    }

    /**
     * Every regular file under {@code folder}, path relative to it → bytes, in path order: the shape
     * {@link Builder#configuration} takes, for a generator that writes a conf folder.
     */
    public static Map<String, byte[]> readFolder(Path folder) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** 127.0.0.1 port of the SIP profile (UDP and TCP). */
    public int sipPort() {
        return sipPort;
    }

    /** 127.0.0.1 port of mod_xml_rpc. */
    public int xmlRpcPort() {
        return xmlRpcPort;
    }

    /** The node as Ominis is told about it in {@code OMINIS_FREESWITCH_NODES}: {@code name=http://user:pass@host:port}. */
    public String nodeSetting() {
        return switchName + "=http://" + XMLRPC_USER + ":" + XMLRPC_PASSWORD + "@127.0.0.1:" + xmlRpcPort;
    }

    /** The {@code switchname} it writes into the core tables. */
    public String switchName() {
        return switchName;
    }

    /** Where its conf, log, db and run folders are. */
    public Path home() {
        return home;
    }

    /** The installation prefix in use. */
    public Path prefix() {
        return installation.prefix();
    }

    /** Whether the process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("FreeSWITCH exited with " + process.exitValue() + " while starting; log: "
                        + log.file() + "\n" + log.tail(40));
            }
            try {
                String status = client.api("status", "");
                String profiles = client.api("sofia", "status");
                boolean profileUp = profiles.lines().anyMatch(l -> l.strip().matches(BaseConfiguration.PROFILE + "\\s+profile\\s.*")
                        && l.contains("RUNNING"));
                if (status.contains("is ready") && profileUp) {
                    LOG.info("FreeSWITCH ready: {}", status.lines().skip(1).findFirst().orElse(""));
                    return;
                }
                last = status.lines().findFirst().orElse("") + " / " + profiles.strip();
            } catch (FreeSwitchException e) {
                last = e.getMessage();
            }
            sleep(200);
        }
        String tail = log.tail(40);
        stop();
        throw new AssertionError("FreeSWITCH did not answer within " + startTimeout + " (" + last + "); log: "
                + log.file() + "\n" + tail);
    }

    private void checkLog() {
        List<String> bad = new ArrayList<>();
        for (String line : log.readNew()) {
            if ((line.contains("[ERR]") || line.contains("[CRIT]"))
                    && allowed.stream().noneMatch(a -> a.pattern().matcher(line).find())) {
                bad.add(line);
            }
        }
        if (!bad.isEmpty()) {
            throw new AssertionError("FreeSWITCH logged " + bad.size() + " error line(s) (" + log.file() + "):\n  "
                    + String.join("\n  ", bad.subList(0, Math.min(bad.size(), 20))));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Configures a {@link RealFreeSwitch}. */
    public static final class Builder {
        private Function<RealFreeSwitch, Map<String, byte[]>> configuration = sw -> Map.of();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<AllowedLog> allowed = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private String switchName = "fs-test";

        private Builder() {
        }

        /**
         * The files put over the base, path relative to the conf folder → bytes; called at every start with the
         * extension, whose ports are known by then. Normally the output of {@code freeswitch-config}.
         */
        public Builder configuration(Function<RealFreeSwitch, Map<String, byte[]>> files) {
            this.configuration = Objects.requireNonNull(files, "files");
            return this;
        }

        /** An environment variable for the FreeSWITCH process. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Lets log lines matching {@code regex} through; {@code reason} says why they are harmless. */
        public Builder allowLog(String regex, String reason) {
            allowed.add(new AllowedLog(Pattern.compile(regex), reason));
            return this;
        }

        /** The {@code switchname} the generated switch.conf is expected to set (default {@code fs-test}). */
        public Builder switchName(String name) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new IllegalArgumentException("switch name must be a host-name-like word, got '" + name + "'");
            }
            this.switchName = name;
            return this;
        }

        /** How long FreeSWITCH may take to answer after it is started (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("start timeout must be positive");
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Picks the ports and returns the extension. */
        public RealFreeSwitch build() {
            return new RealFreeSwitch(this);
        }
    }
}

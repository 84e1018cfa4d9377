package io.ominis.db.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.ConfigurationException;
import io.ominis.core.OperationFailedException;
import io.ominis.core.config.DatabaseSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Point-in-time recovery of the Ominis cluster with pgBackRest: continuous WAL archiving ({@code archive_command}
 * runs {@code pgbackrest archive-push}), full, differential and incremental base backups, and restores to a chosen
 * instant into a data directory. pgBackRest does the work; this class writes its stanza configuration, turns
 * archiving on, checks the operator's input before anything runs, and reads pgBackRest's JSON report.
 *
 * <p>pgBackRest reads the data directory, so it runs on the database host as the cluster's OS user: when this
 * process is root every call goes through {@code runuser -u <osUser>}. The database password reaches it only as
 * {@code PGPASSWORD} in its environment. Every call has a timeout.
 */
public final class PointInTimeRecovery {

    /** The stanza name when none is given. */
    public static final String DEFAULT_STANZA = "ominis";

    /** Paths end up inside {@code archive_command} and a shell; these characters need no quoting anywhere. */
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./-]*");
    private static final Pattern STANZA_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Duration QUICK = Duration.ofMinutes(2);
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx");
    private static final DateTimeFormatter TARGET_INPUT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:MM:ss", "Z")
            .toFormatter();
    private static final DateTimeFormatter TARGET_INPUT_SHORT_OFFSET = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HH", "Z")
            .toFormatter();

    private final Stanza stanza;
    private final DatabaseSettings db;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Where pgBackRest's configuration is and how to run it.
     *
     * @param config  the pgBackRest configuration file ({@code --config})
     * @param name    the stanza
     * @param osUser  the OS user that owns the data directory; used only when this process runs as root
     * @param timeout the longest a backup or restore may run before it is stopped
     */
    public record Stanza(Path config, String name, String osUser, Duration timeout) {
        public Stanza {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(timeout, "timeout");
            requireSafePath("--config", config);
            if (name == null || !STANZA_NAME.matcher(name).matches()) {
                throw new ConfigurationException("--stanza", "must be letters, digits, '_' or '-' (at most 64), got '"
                        + name + "'");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("--timeout", "must be positive");
            }
        }
    }

    /**
     * What {@link #setup} writes into the stanza's configuration.
     *
     * @param repository    the backup repository directory ({@code repo1-path}), on storage that survives the host
     * @param dataDirectory the cluster's data directory ({@code pg1-path})
     * @param port          the cluster's port ({@code pg1-port})
     * @param socketDirectory the cluster's Unix socket directory ({@code pg1-socket-path})
     * @param retentionFull full backups kept ({@code repo1-retention-full}); older ones and their WAL expire
     * @param retentionDiff differential backups kept ({@code repo1-retention-diff})
     */
    public record StanzaLayout(Path repository, Path dataDirectory, int port, Path socketDirectory, int retentionFull,
            int retentionDiff) {
        public StanzaLayout {
            requireSafePath("--repo", repository);
            requireSafePath("--pg-data", dataDirectory);
            requireSafePath("--pg-socket", socketDirectory);
            if (port < 1 || port > 65535) {
                throw new ConfigurationException("--pg-port", "must be 1..65535, got " + port);
            }
            if (retentionFull < 1) {
                throw new ConfigurationException("--retention-full", "must be at least 1, got " + retentionFull);
            }
            if (retentionDiff < 1) {
                throw new ConfigurationException("--retention-diff", "must be at least 1, got " + retentionDiff);
            }
        }
    }

    /**
     * What {@link #setup} did.
     *
     * @param configWritten  whether the configuration file was (re)written; false when it already said the same
     * @param settings       the server settings archiving needs, in postgresql.conf syntax
     * @param changed        the settings {@code apply} changed with ALTER SYSTEM (empty without apply)
     * @param restartNeeded  whether PostgreSQL must restart before archiving starts ({@code archive_mode},
     *                       {@code wal_level}); then run setup again afterwards to create the stanza
     * @param stanzaReady    whether {@code stanza-create} and {@code check} passed (WAL reaches the repository)
     */
    public record Setup(boolean configWritten, List<String> settings, List<String> changed, boolean restartNeeded,
            boolean stanzaReady) {
    }

    /** Backup types pgBackRest takes. */
    public enum BackupType {
        /** Every file. */
        FULL,
        /** Files changed since the last full backup. */
        DIFF,
        /** Files changed since the last backup of any type. */
        INCR;

        /** The value of pgBackRest's {@code --type}. */
        public String option() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Parses {@code full}, {@code diff} or {@code incr}. */
        public static BackupType parse(String text) {
            for (BackupType t : values()) {
                if (t.option().equals(text)) {
                    return t;
                }
            }
            throw new ConfigurationException("--type", "must be full, diff or incr, got '" + text + "'");
        }
    }

    /**
     * One backup in the repository.
     *
     * @param label  pgBackRest's label, e.g. {@code 20261206-041500F}
     * @param type   full, diff or incr
     * @param start  when it started (second precision)
     * @param stop   when it ended (second precision)
     * @param bytes  the database's size at that time
     * @param repositoryBytes what it takes in the repository (compressed, only changed files)
     */
    public record BackupSet(String label, String type, Instant start, Instant stop, long bytes, long repositoryBytes) {
    }

    /**
     * pgBackRest's report on the stanza.
     *
     * @param status      {@code ok} or pgBackRest's message (e.g. {@code missing stanza path})
     * @param backups     oldest first
     * @param walMin      the oldest WAL segment archived, or null
     * @param walMax      the newest WAL segment archived, or null
     */
    public record Info(String stanza, String status, List<BackupSet> backups, String walMin, String walMax) {
    }

    /**
     * A restore that pgBackRest finished.
     *
     * @param from   the backup it started from
     * @param target the instant PostgreSQL replays up to when started on the data directory
     */
    public record Restore(Path dataDirectory, BackupSet from, OffsetDateTime target) {
    }

    /** Works on {@code stanza}; {@code db} is how to reach the cluster (for {@code setup --apply} and the password). */
    public PointInTimeRecovery(Stanza stanza, DatabaseSettings db, Clock clock) {
        this.stanza = Objects.requireNonNull(stanza, "stanza");
        this.db = db;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The server settings that send every WAL segment to the repository, as {@code name → value} (unquoted).
     * {@code archive_timeout} switches segments at least once a minute, so a quiet system loses at most a minute.
     */
    public Map<String, String> archiveSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wal_level", "replica");
        settings.put("archive_mode", "on");
        settings.put("archive_command", program() + " --config=" + stanza.config() + " --stanza=" + stanza.name()
                + " archive-push %p");
        settings.put("archive_timeout", "60");
        return settings;
    }

    /** The same settings as lines to put into postgresql.conf. */
    public List<String> postgresqlConfLines() {
        List<String> lines = new ArrayList<>();
        archiveSettings().forEach((k, v) -> lines.add(k + " = '" + v + "'"));
        return lines;
    }

    /** The pgBackRest configuration file for {@code layout}. */
    public String configuration(StanzaLayout layout) {
        return String.join("\n",
                "# written by ominis pitr setup",
                "[global]",
                "repo1-path=" + layout.repository(),
                "repo1-retention-full=" + layout.retentionFull(),
                "repo1-retention-diff=" + layout.retentionDiff(),
                "compress-type=lz4",
                "start-fast=y",
                "archive-check=y",
                "log-level-console=warn",
                "log-level-file=off",
                "lock-path=" + layout.repository() + "/.lock",
                "",
                "[" + stanza.name() + "]",
                "pg1-path=" + layout.dataDirectory(),
                "pg1-port=" + layout.port(),
                "pg1-socket-path=" + layout.socketDirectory(),
                "pg1-user=" + (db == null ? "postgres" : db.user()),
                "");
    }

    /**
     * Writes the configuration (refusing to replace a different one unless {@code force}) and creates the
     * repository; with {@code apply}, also sets the archiving settings on the server with ALTER SYSTEM, and once no
     * restart is pending creates the stanza and checks that WAL reaches the repository.
     */
    public Setup setup(StanzaLayout layout, boolean apply, boolean force) {
        String text = configuration(layout);
        Path config = stanza.config();
        boolean written = false;
        try {
            String existing = Files.exists(config) ? Files.readString(config, StandardCharsets.UTF_8) : null;
            if (existing != null && !existing.equals(text) && !force) {
                throw new OperationFailedException(config + " exists with other settings; use --force to replace it");
            }
            if (!text.equals(existing)) {
                AtomicFiles.write(config, text.getBytes(StandardCharsets.UTF_8), true);
                written = true;
            }
            handOver(config);
            if (!Files.isDirectory(layout.repository())) {
                Files.createDirectories(layout.repository());
                Files.setPosixFilePermissions(layout.repository(), PosixFilePermissions.fromString("rwxr-x---"));
            }
            handOver(layout.repository());
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + config + ": " + e.getMessage(), e);
        }
        List<String> changed = List.of();
        boolean restart = false;
        boolean ready = false;
        if (apply) {
            changed = applySettings();
            restart = restartPending();
            if (!restart) {
                pgbackrest(QUICK, "stanza-create");
                pgbackrest(QUICK, "check");
                ready = true;
            }
        }
        return new Setup(written, postgresqlConfLines(), changed, restart, ready);
    }

    /** Takes a base backup of {@code type} and returns it as the repository lists it. */
    public BackupSet backup(BackupType type) {
        Info before = info();
        requireStanza(before);
        pgbackrest(stanza.timeout(), "--type=" + type.option(), "backup");
        List<BackupSet> after = info().backups();
        if (after.isEmpty()) {
            throw new OperationFailedException("pgbackrest backup ended but the repository lists no backup");
        }
        return after.get(after.size() - 1);
    }

    /** pgBackRest's report on the stanza; a missing or broken stanza is reported in {@link Info#status()}. */
    public Info info() {
        String out = pgbackrest(QUICK, "--output=json", "info");
        try {
            JsonNode all = json.readTree(out);
            JsonNode node = null;
            for (JsonNode s : all) {
                if (stanza.name().equals(s.path("name").asText())) {
                    node = s;
                }
            }
            if (node == null) {
                return new Info(stanza.name(), "missing stanza", List.of(), null, null);
            }
            JsonNode status = node.path("status");
            String message = status.path("code").asInt(-1) == 0 ? "ok" : status.path("message").asText("unknown");
            List<BackupSet> backups = new ArrayList<>();
            for (JsonNode b : node.path("backup")) {
                backups.add(new BackupSet(b.path("label").asText(), b.path("type").asText(),
                        Instant.ofEpochSecond(b.path("timestamp").path("start").asLong()),
                        Instant.ofEpochSecond(b.path("timestamp").path("stop").asLong()),
                        b.path("info").path("size").asLong(), b.path("info").path("repository").path("delta").asLong()));
            }
            String min = null;
            String max = null;
            for (JsonNode a : node.path("archive")) {
                min = min == null ? a.path("min").asText(null) : min;
                max = a.path("max").asText(max);
            }
            return new Info(stanza.name(), message, List.copyOf(backups), min, max);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read pgbackrest info output: " + PgTools.firstLine(
                    e.getMessage()), e);
        }
    }

    /**
     * Restores into {@code dataDirectory} (absent or empty) the newest backup that ended before {@code target},
     * set up so that PostgreSQL, started there, replays archived WAL up to {@code target} and then opens for
     * writes. Without {@code keepArchiving} the copy has {@code archive_mode = off}, so a copy started beside the
     * live cluster never pushes WAL into the live cluster's repository.
     */
    public Restore restore(OffsetDateTime target, Path dataDirectory, boolean keepArchiving) {
        requireSafePath("--pg-data", dataDirectory);
        if (target.toInstant().isAfter(clock.instant())) {
            throw new ConfigurationException("--to", target + " is in the future");
        }
        try {
            if (Files.exists(dataDirectory)) {
                try (var entries = Files.list(dataDirectory)) {
                    if (entries.findAny().isPresent()) {
                        throw new OperationFailedException(dataDirectory + " is not empty; restore into a new or "
                                + "empty directory (stop PostgreSQL and move the old one aside first)");
                    }
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + dataDirectory + ": " + e.getMessage(), e);
        }
        Info info = info();
        requireStanza(info);
        BackupSet from = null;
        for (BackupSet b : info.backups()) {
            // stop is truncated to the second: the backup surely ended before the target only a second later
            if (!b.stop().plusSeconds(1).isAfter(target.toInstant())) {
                from = b;
            }
        }
        if (from == null) {
            throw new OperationFailedException("no backup of stanza " + stanza.name() + " ended before " + target
                    + (info.backups().isEmpty() ? "; take one with 'pitr backup'"
                    : "; the earliest ended at " + info.backups().get(0).stop()
                    + " (pgBackRest records the end to the second, so a backup counts from one second later)"));
        }
        try {
            // created only now, so a refused restore leaves nothing behind
            Files.createDirectories(dataDirectory);
            Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
            handOver(dataDirectory);
        } catch (IOException e) {
            throw new OperationFailedException("cannot prepare " + dataDirectory + ": " + e.getMessage(), e);
        }
        String when = target.withOffsetSameInstant(ZoneOffset.UTC).format(PG_TIME);
        pgbackrest(stanza.timeout(), "--pg1-path=" + dataDirectory, "--set=" + from.label(), "--type=time",
                "--target=" + when, "--target-action=promote",
                "--archive-mode=" + (keepArchiving ? "preserve" : "off"), "restore");
        return new Restore(dataDirectory, from, target);
    }

    /**
     * Reads a recovery target: an ISO-8601 or PostgreSQL-style timestamp with an explicit offset
     * ({@code 2026-12-06T04:30:00Z}, {@code 2026-12-06 04:30:00.123456+00}); one without an offset is refused,
     * since the host's, the server's and the operator's time zones may all differ.
     */
    public static OffsetDateTime parseTarget(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("--to", "give a time such as 2026-12-06T04:30:00Z");
        }
        String t = text.strip();
        for (DateTimeFormatter f : List.of(TARGET_INPUT, TARGET_INPUT_SHORT_OFFSET)) {
            try {
                return OffsetDateTime.parse(t, f);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        try {
            LocalDateTime.parse(t.replace(' ', 'T'));
            throw new ConfigurationException("--to", "'" + t + "' has no time zone; add one, e.g. " + t + "Z or "
                    + t + "+01:00");
        } catch (DateTimeParseException e) {
            throw new ConfigurationException("--to", "'" + t + "' is not a time such as 2026-12-06T04:30:00Z or "
                    + "'2026-12-06 04:30:00.5+00'");
        }
    }

    private void requireStanza(Info info) {
        if (!"ok".equals(info.status()) && !info.status().startsWith("no valid backups")) {
            throw new OperationFailedException("stanza " + stanza.name() + " in " + stanza.config() + ": "
                    + info.status() + "; run 'pitr setup --apply' first");
        }
    }

    private List<String> applySettings() {
        if (db == null) {
            throw new ConfigurationException("DB_DSN", "setup --apply needs the database connection");
        }
        List<String> changed = new ArrayList<>();
        try (Connection c = PgTools.connect(db)) {
            for (Map.Entry<String, String> e : archiveSettings().entrySet()) {
                String current;
                // pg_settings.setting is in the base unit (archive_timeout "60", where current_setting says "1min")
                try (PreparedStatement st = c.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
                    st.setString(1, e.getKey());
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        current = rs.getString(1);
                    }
                }
                if (!e.getValue().equals(current)) {
                    // ALTER SYSTEM takes no bind parameters and cannot run in a function; the name is one of ours
                    // and the value is built from checked paths and names, quoted as a literal all the same
                    try (Statement st = c.createStatement()) {
                        st.execute("ALTER SYSTEM SET " + e.getKey() + " = "
                                + org.postgresql.core.Utils.escapeLiteral(null, e.getValue(), true)
                                        .insert(0, "'").append("'"));
                    }
                    changed.add(e.getKey());
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new OperationFailedException("cannot change the settings of " + db.describe() + ": "
                    + PgTools.firstLine(e.getMessage()), e);
        }
        return changed;
    }

    private boolean restartPending() {
        // pg_reload_conf only signals; the postmaster marks pending_restart once it has reread the files
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean pending = false;
        while (System.nanoTime() < deadline) {
            try (Connection c = PgTools.connect(db); PreparedStatement st = c.prepareStatement("""
                    SELECT bool_or(pending_restart) OR current_setting('archive_mode') <> 'on'
                           OR current_setting('wal_level') NOT IN ('replica', 'logical'),
                           current_setting('archive_command') = ?
                      FROM pg_settings WHERE name IN ('archive_mode', 'wal_level')
                    """)) {
                st.setString(1, archiveSettings().get("archive_command"));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    pending = rs.getBoolean(1);
                    if (pending || rs.getBoolean(2)) {
                        return pending;
                    }
                }
            } catch (SQLException e) {
                throw new OperationFailedException("cannot read the settings of " + db.describe() + ": "
                        + PgTools.firstLine(e.getMessage()), e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while waiting for the new settings", e);
            }
        }
        return pending;
    }

    private String pgbackrest(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot() && stanza.osUser() != null && !"root".equals(stanza.osUser())) {
            command.addAll(List.of("runuser", "-u", stanza.osUser(), "--"));
        }
        command.add(program());
        command.add("--config=" + stanza.config());
        command.add("--stanza=" + stanza.name());
        command.addAll(List.of(arguments));
        Map<String, String> env = db == null ? new LinkedHashMap<>(System.getenv()) : PgTools.clientEnvironment(db);
        String what = "pgbackrest " + arguments[arguments.length - 1];
        try {
            return PgTools.execute(command, env, timeout, what);
        } catch (OperationFailedException e) {
            throw new OperationFailedException(e.getMessage().replaceFirst("(: )?(WARN|ERROR): \\[\\d+]: ", ": "), e);
        }
    }

    private static String program() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbackrest"))) {
                return Path.of(dir, "pgbackrest").toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/pgbackrest"))) {
            return "/usr/bin/pgbackrest";
        }
        throw new OperationFailedException("pgbackrest not found on PATH; install the pgbackrest package");
    }

    private void handOver(Path path) throws IOException {
        if (!runningAsRoot() || stanza.osUser() == null) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        try {
            view.setOwner(users.lookupPrincipalByName(stanza.osUser()));
            view.setGroup(users.lookupPrincipalByGroupName(stanza.osUser()));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new ConfigurationException("--os-user", "no such user or group: " + stanza.osUser());
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void requireSafePath(String option, Path path) {
        Objects.requireNonNull(path, option);
        if (!SAFE_PATH.matcher(path.toString()).matches()) {
            throw new ConfigurationException(option, "must be an absolute path of letters, digits and _ . / -, got '"
                    + path + "'");
        }
    }
}

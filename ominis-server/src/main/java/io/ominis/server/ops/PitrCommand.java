package io.ominis.server.ops;

import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.admin.PointInTimeRecovery;
import io.ominis.server.ops.internal.OpsCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pitr}: point-in-time recovery with pgBackRest ({@code setup}, {@code backup}, {@code restore},
 * {@code info}); the work is {@link PointInTimeRecovery}'s, this is only its command line.
 */
@Command(name = "pitr", mixinStandardHelpOptions = true,
        description = {
            "Point-in-time recovery with pgBackRest: WAL archiving, base backups, restore to a time.",
            "Run on the database host as root or as the cluster's OS user (pgBackRest reads the data directory)."
        })
public final class PitrCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    private PitrCommand() {
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Registers {@code pitr} and its four sub-commands on {@code root}. */
    public static void register(picocli.CommandLine root, Map<String, String> env) {
        picocli.CommandLine pitr = new picocli.CommandLine(new PitrCommand())
                .addSubcommand(new Setup(env))
                .addSubcommand(new Backup(env))
                .addSubcommand(new Restore(env))
                .addSubcommand(new Info(env));
        root.addSubcommand(pitr);
    }

    /** Options every sub-command takes: which stanza, how pgBackRest runs. */
    static final class StanzaOptions {
        @Option(names = "--config", defaultValue = "/etc/pgbackrest/pgbackrest.conf", paramLabel = "FILE",
                description = "pgBackRest configuration file (default ${DEFAULT-VALUE})")
        Path config;

        @Option(names = "--stanza", defaultValue = PointInTimeRecovery.DEFAULT_STANZA, paramLabel = "NAME",
                description = "pgBackRest stanza (default ${DEFAULT-VALUE})")
        String stanza;

        @Option(names = "--os-user", defaultValue = "postgres", paramLabel = "USER",
                description = "the data directory's owner; pgBackRest runs as this user when ominis runs as root "
                        + "(default ${DEFAULT-VALUE})")
        String osUser;

        @Option(names = "--timeout-minutes", defaultValue = "360", paramLabel = "N",
                description = "stop a backup or restore that runs longer (default ${DEFAULT-VALUE})")
        long timeoutMinutes;

        PointInTimeRecovery open(Map<String, String> env) {
            if (timeoutMinutes < 1) {
                throw new io.ominis.core.ConfigurationException("--timeout-minutes", "must be at least 1");
            }
            return new PointInTimeRecovery(new PointInTimeRecovery.Stanza(config, stanza, osUser,
                    Duration.ofMinutes(timeoutMinutes)), DatabaseSettings.fromEnvironment(env), Clock.systemUTC());
        }
    }

    /** {@code pitr setup}. */
    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {
                "Write the pgBackRest stanza configuration and print the postgresql.conf settings that archive WAL.",
                "With --apply, set them with ALTER SYSTEM; once PostgreSQL has been restarted (archive_mode needs",
                "it), run setup --apply again: it creates the stanza and checks that WAL reaches the repository."
            })
    static final class Setup extends OpsCommand {
        @Mixin
        StanzaOptions stanza;

        @Option(names = "--repo", defaultValue = "/var/lib/pgbackrest", paramLabel = "DIR",
                description = "backup repository (default ${DEFAULT-VALUE}); put it on storage that outlives the host")
        Path repo;

        @Option(names = "--pg-data", required = true, paramLabel = "DIR", description = "the cluster's data directory")
        Path pgData;

        @Option(names = "--pg-port", paramLabel = "PORT", description = "the cluster's port (default: DB_DSN's)")
        Integer pgPort;

        @Option(names = "--pg-socket", defaultValue = "/var/run/postgresql", paramLabel = "DIR",
                description = "the cluster's Unix socket directory (default ${DEFAULT-VALUE})")
        Path pgSocket;

        @Option(names = "--retention-full", defaultValue = "2", paramLabel = "N",
                description = "full backups kept; older ones and the WAL only they need expire (default "
                        + "${DEFAULT-VALUE})")
        int retentionFull;

        @Option(names = "--retention-diff", defaultValue = "7", paramLabel = "N",
                description = "differential backups kept (default ${DEFAULT-VALUE})")
        int retentionDiff;

        @Option(names = "--apply", description = "set the archiving settings on the server (ALTER SYSTEM)")
        boolean apply;

        @Option(names = "--force", description = "replace a configuration file that says something else")
        boolean force;

        Setup(Map<String, String> env) {
            super(env);
        }

        @Override
        protected int execute(PrintWriter out) {
            PointInTimeRecovery pitr = stanza.open(env);
            int port = pgPort != null ? pgPort : DatabaseSettings.fromEnvironment(env).endpoints().get(0).port();
            PointInTimeRecovery.Setup done = pitr.setup(new PointInTimeRecovery.StanzaLayout(repo, pgData, port,
                    pgSocket, retentionFull, retentionDiff), apply, force);
            out.println((done.configWritten() ? "Wrote " : "Unchanged: ") + stanza.config);
            if (!apply) {
                out.println("Put these lines into postgresql.conf, restart PostgreSQL, then run 'pitr setup --apply':");
                done.settings().forEach(out::println);
                return 0;
            }
            out.println(done.changed().isEmpty() ? "Archiving settings already in place"
                    : "Set with ALTER SYSTEM: " + String.join(", ", done.changed()));
            if (done.restartNeeded()) {
                out.println("Restart PostgreSQL (archive_mode/wal_level need it), then run 'pitr setup --apply' again");
            } else if (done.stanzaReady()) {
                out.println("Stanza " + stanza.stanza + " created and checked: WAL reaches the repository; take a full "
                        + "backup now with 'pitr backup --type full'");
            }
            return 0;
        }
    }

    /** {@code pitr backup}. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Take a base backup with pgBackRest (incr becomes full when there is none yet).")
    static final class Backup extends OpsCommand {
        @Mixin
        StanzaOptions stanza;

        @Option(names = "--type", defaultValue = "incr", paramLabel = "full|diff|incr",
                description = "backup type (default ${DEFAULT-VALUE})")
        String type;

        Backup(Map<String, String> env) {
            super(env);
        }

        @Override
        protected int execute(PrintWriter out) {
            PointInTimeRecovery.BackupType t = PointInTimeRecovery.BackupType.parse(type);
            PointInTimeRecovery.BackupSet b = stanza.open(env).backup(t);
            out.printf("Backup %s (%s) %s .. %s, database %,d bytes, %,d bytes added to the repository%n", b.label(),
                    b.type(), b.start(), b.stop(), b.bytes(), b.repositoryBytes());
            return 0;
        }
    }

    /** {@code pitr restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {
                "Restore into a new or empty data directory so that PostgreSQL, started there, replays WAL up to",
                "the given time and opens for writes. Archiving is off in the copy unless --keep-archiving."
            })
    static final class Restore extends OpsCommand {
        @Mixin
        StanzaOptions stanza;

        @Option(names = "--to", required = true, paramLabel = "TIME",
                description = "target time with a zone, e.g. 2026-12-06T04:30:00Z or '2026-12-06 05:30:00+01'")
        String to;

        @Option(names = "--pg-data", required = true, paramLabel = "DIR",
                description = "data directory to restore into (must not exist or be empty)")
        Path pgData;

        @Option(names = "--keep-archiving", description = "keep archive_mode on in the restored cluster (when it "
                + "replaces the old primary); otherwise it would push WAL into the same repository")
        boolean keepArchiving;

        Restore(Map<String, String> env) {
            super(env);
        }

        @Override
        protected int execute(PrintWriter out) {
            PointInTimeRecovery.Restore r = stanza.open(env).restore(PointInTimeRecovery.parseTarget(to), pgData,
                    keepArchiving);
            out.printf("Restored backup %s into %s; start PostgreSQL there: it replays WAL up to %s, then opens for "
                    + "writes%n", r.from().label(), r.dataDirectory(), r.target());
            return 0;
        }
    }

    /** {@code pitr info}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Show the stanza's backups and archived WAL; exit 2 when the stanza is not healthy.")
    static final class Info extends OpsCommand {
        @Mixin
        StanzaOptions stanza;

        Info(Map<String, String> env) {
            super(env);
        }

        @Override
        protected int execute(PrintWriter out) {
            PointInTimeRecovery.Info info = stanza.open(env).info();
            if (!"ok".equals(info.status())) {
                throw new io.ominis.core.OperationFailedException("stanza " + info.stanza() + " in " + stanza.config
                        + ": " + info.status());
            }
            out.println("Stanza " + info.stanza() + ": ok; WAL archived " + info.walMin() + " .. " + info.walMax());
            for (PointInTimeRecovery.BackupSet b : info.backups()) {
                out.printf("%s  %-4s  %s .. %s  %,d bytes%n", b.label(), b.type(), b.start(), b.stop(), b.bytes());
            }
            return 0;
        }
    }
}

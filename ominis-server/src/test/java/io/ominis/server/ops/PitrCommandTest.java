package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pitr} through the real command line and the real pgBackRest: a bad target time, a missing stanza and an
 * unknown backup type each end in one line on stderr and exit code 2, never a stack trace; {@code setup} without
 * {@code --apply} prints exactly the postgresql.conf lines. The full restore cycle is {@code PointInTimeRecoveryTest}.
 */
class PitrCommandTest {

    @TempDir
    Path dir;

    @Test
    void aTargetWithoutATimeZoneIsOneLineAndExitTwo() {
        Cli cli = Cli.run(Map.of(), "pitr", "restore", "--config", dir.resolve("pgbackrest.conf").toString(),
                "--to", "2026-12-06 04:30:00", "--pg-data", dir.resolve("restored").toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("ominis pitr restore: --to: '2026-12-06 04:30:00' has no time zone")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(dir.resolve("restored")).doesNotExist();
    }

    @Test
    void nonsenseTimeIsOneLineAndExitTwo() {
        Cli cli = Cli.run(Map.of(), "pitr", "restore", "--to", "yesterday", "--pg-data", dir.resolve("r").toString());
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("ominis pitr restore: --to: 'yesterday' is not a time")
                .doesNotContain("\n");
    }

    @Test
    void aMissingStanzaIsOneLineAndExitTwo() throws Exception {
        Path config = dir.resolve("pgbackrest.conf");
        Files.writeString(config, "[global]\nrepo1-path=" + dir.resolve("repo") + "\nlog-level-file=off\n"
                + "lock-path=" + dir.resolve("lock") + "\n");
        // pgBackRest runs as the os user only when we are root; then it must be able to read the directory
        Cli cli = Cli.run(Map.of(), "pitr", "info", "--config", config.toString(), "--stanza", "absent",
                "--os-user", "root");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("ominis pitr info: stanza absent in " + config
                + ": missing stanza path");
    }

    @Test
    void anUnknownBackupTypeIsRefusedBeforePgBackRestRuns() {
        Cli cli = Cli.run(Map.of(), "pitr", "backup", "--type", "weekly", "--config", "/nonexistent/x.conf");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().strip()).isEqualTo("ominis pitr backup: --type: must be full, diff or incr, got 'weekly'");
    }

    @Test
    void setupWithoutApplyPrintsTheSettingsAndWritesTheStanza() throws Exception {
        Path config = dir.resolve("etc/pgbackrest.conf");
        Cli cli = Cli.run(Map.of("DB_DSN", "postgresql://postgres@127.0.0.1:5433/ominis"), "pitr", "setup",
                "--config", config.toString(), "--repo", dir.resolve("repo").toString(), "--pg-data",
                "/var/lib/postgresql/15/main", "--os-user", "root");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("wal_level = 'replica'", "archive_mode = 'on'", "archive_timeout = '60'",
                "archive_command = '/usr/bin/pgbackrest --config=" + config + " --stanza=ominis archive-push %p'");
        assertThat(Files.readString(config)).contains("[ominis]", "pg1-path=/var/lib/postgresql/15/main",
                "pg1-port=5433", "repo1-retention-full=2");
        assertThat(dir.resolve("repo")).isDirectory();

        Cli again = Cli.run(Map.of("DB_DSN", "postgresql://postgres@127.0.0.1:5433/ominis"), "pitr", "setup",
                "--config", config.toString(), "--repo", dir.resolve("repo").toString(), "--pg-data",
                "/var/lib/postgresql/16/main", "--os-user", "root");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("ominis pitr setup: " + config
                + " exists with other settings; use --force to replace it");
    }
}

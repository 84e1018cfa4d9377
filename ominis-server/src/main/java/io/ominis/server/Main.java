package io.ominis.server;

import io.ominis.server.cli.DbInfoCommand;
import io.ominis.server.cli.MigrateCommand;
import io.ominis.server.cli.OminisCommand;
import io.ominis.server.cli.ServeCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code java -jar ominis-server.jar [serve|migrate|--help]}: with no command the server starts.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != ServeCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    /** Runs the command line against an explicit environment and streams; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new OminisCommand())
                .addSubcommand(new ServeCommand(env))
                .addSubcommand(new MigrateCommand(env))
                .addSubcommand(new DbInfoCommand(env))
                .addSubcommand(new io.ominis.server.cli.CdrMaintenanceCommand(env))
                .addSubcommand(new io.ominis.server.cli.StaleStateCommand(env))
                .addSubcommand(new io.ominis.server.cli.HashSipPasswordsCommand(env))
                .addSubcommand(new io.ominis.server.ops.FreeSwitchConfigCommand(env))
                .addSubcommand(new io.ominis.server.ops.DbRolesCommand(env))
                .addSubcommand(new io.ominis.server.ops.BackupCommand(env))
                .addSubcommand(new io.ominis.server.ops.RestoreCommand(env))
                .addSubcommand(new io.ominis.server.ops.DoctorCommand(env))
                .addSubcommand(new CommandLine(new io.ominis.server.cli.ExtensionsCommand())
                        .addSubcommand(new io.ominis.server.cli.ExtensionImportCommand(env))
                        .addSubcommand(new io.ominis.server.cli.ExtensionExportCommand(env)));
        // pitr's subcommands are registered after the others, and the streams after every subcommand, so that each
        // nested command writes where the caller asked
        io.ominis.server.ops.PitrCommand.register(cli, env);
        cli.setOut(out).setErr(err);
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        return cli.execute(effective);
    }
}

package io.ominis.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code extensions}: groups the bulk commands on the SIP directory ({@code import}, {@code export}). */
@Command(name = "extensions", mixinStandardHelpOptions = true,
        description = "Bulk work on extensions straight against the database: 'import FILE', 'export'.")
public final class ExtensionsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

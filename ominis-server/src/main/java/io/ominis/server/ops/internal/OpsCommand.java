package io.ominis.server.ops.internal;

import io.ominis.core.OminisException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the operations commands, following {@code MigrateCommand}: the environment comes in through the constructor,
 * output goes to picocli's writer, and an {@link OminisException} becomes one line {@code ominis <cmd>: …} on the
 * error stream with exit code 2.
 */
public abstract class OpsCommand implements Callable<Integer> {

    /** Exit code for a failure the operator must fix (bad setting, refused action, tool failure). */
    public static final int FAILED = 2;

    protected final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    protected OpsCommand(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return execute(out);
        } catch (OminisException e) {
            // a sub-command's sub-command (pitr backup) is named with its parent
            CommandSpec parent = spec.parent();
            String name = parent != null && parent.parent() != null ? parent.name() + " " + spec.name() : spec.name();
            spec.commandLine().getErr().println("ominis " + name + ": " + e.getMessage());
            return FAILED;
        } finally {
            out.flush();
        }
    }

    /** Does the work, printing progress to {@code out}; returns the exit code. */
    protected abstract int execute(PrintWriter out);
}

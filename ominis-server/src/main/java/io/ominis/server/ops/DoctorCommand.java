package io.ominis.server.ops;

import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.admin.Prerequisites;
import io.ominis.server.ops.internal.OpsCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code doctor}: checks the prerequisites the README lists (programs on {@code PATH} with their versions, the
 * configured PostgreSQL, the FreeSWITCH build) and prints the Debian packages to install; exit 1 when something
 * required is missing.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the programs, database and FreeSWITCH build Ominis needs and say what to install.")
public final class DoctorCommand extends OpsCommand {

    @Option(names = "--freeswitch-root", defaultValue = "/opt/ominis", paramLabel = "DIR",
            description = "where FreeSWITCH builds live (default ${DEFAULT-VALUE})")
    private Path freeSwitchRoot;

    public DoctorCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter out) {
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        List<Prerequisites.Check> checks = Prerequisites.check(env.getOrDefault("PATH", System.getenv("PATH")), db,
                freeSwitchRoot);
        Set<String> install = new LinkedHashSet<>();
        for (Prerequisites.Check c : checks) {
            out.printf("%s %-36s %s%n", c.ok() ? "ok     " : c.required() ? "MISSING" : "missing", c.name(), c.detail());
            if (!c.ok()) {
                install.add(c.install());
            }
        }
        if (!install.isEmpty()) {
            out.println("To install: " + String.join(", ", install));
        }
        if (!Prerequisites.allRequiredPresent(checks)) {
            out.println("Something required is missing (MISSING above).");
            return 1;
        }
        out.println("Everything required is present.");
        return 0;
    }
}

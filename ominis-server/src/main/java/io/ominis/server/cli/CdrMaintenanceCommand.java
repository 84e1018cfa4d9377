package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.core.config.CdrSettings;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.CdrPartitions;
import io.ominis.db.ConnectionPool;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cdr-maintenance}: one pass of {@link CdrPartitions#runOnce}, creating the monthly {@code cdr} partitions ahead
 * ({@code OMINIS_CDR_MONTHS_AHEAD}) and dropping the months retention no longer keeps
 * ({@code OMINIS_CDR_RETENTION_MONTHS}, 0 or unset = keep forever), then printing what it did. Made for a Kubernetes
 * CronJob: safe to run from several places at once, exit 0 when done, 2 when the settings or the database fail.
 */
@Command(name = "cdr-maintenance", mixinStandardHelpOptions = true,
        description = {
            "Create the monthly cdr partitions ahead and drop the months past retention, once.",
            "OMINIS_CDR_MONTHS_AHEAD (default 3), OMINIS_CDR_RETENTION_MONTHS (0 or unset: keep forever).",
            "Run it as the role that owns the schema (the one 'migrate' uses)."
        })
public final class CdrMaintenanceCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @picocli.CommandLine.Option(names = "--dry-run",
            description = "Print the partitions that would be created and dropped; change nothing.")
    private boolean dryRun;

    @Spec
    private CommandSpec spec;

    public CdrMaintenanceCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            DatabaseSettings database = DatabaseSettings.fromEnvironment(env);
            CdrSettings settings = CdrSettings.fromEnvironment(env);
            try (HikariDataSource pool = ConnectionPool.open(database.withPoolSize(2))) {
                out.println("cdr maintenance on " + database.describe() + ": " + settings.monthsAhead()
                        + " month(s) ahead, retention " + (settings.keepForever() ? "forever"
                        : settings.retentionMonths() + " month(s)"));
                if (dryRun) {
                    CdrPartitions.Plan plan = new CdrPartitions(pool).plan(settings);
                    out.println("Dry run: nothing is changed");
                    plan.wouldCreate().forEach(name -> out.println("Would create " + name));
                    if (plan.wouldCreate().isEmpty()) {
                        out.println("Partitions ahead: all present");
                    }
                    if (plan.keptFrom() == null) {
                        out.println("Retention: keeping every month (OMINIS_CDR_RETENTION_MONTHS unset or 0)");
                    } else {
                        out.println("Retention: would keep " + plan.keptFrom() + " onwards");
                        plan.wouldDrop().forEach(name -> out.println("Would drop " + name));
                        if (plan.wouldDrop().isEmpty()) {
                            out.println("Would drop nothing");
                        }
                        if (plan.defaultRowsWouldDelete() > 0) {
                            out.println("Would delete " + plan.defaultRowsWouldDelete() + " row(s) older than "
                                    + plan.keptFrom() + " from " + CdrPartitions.DEFAULT_PARTITION);
                        }
                    }
                    printPartitions(out, plan.partitions());
                    return 0;
                }
                CdrPartitions.Report report = new CdrPartitions(pool).runOnce(settings);
                if (report.created().isEmpty()) {
                    out.println("Partitions ahead: all present");
                }
                for (CdrPartitions.Created c : report.created()) {
                    out.println("Created " + c.name() + (c.movedFromDefault() > 0
                            ? " (moved " + c.movedFromDefault() + " row(s) from " + CdrPartitions.DEFAULT_PARTITION + ")"
                            : ""));
                }
                CdrPartitions.Retention retention = report.retention();
                if (retention == null) {
                    out.println("Retention: keeping every month (OMINIS_CDR_RETENTION_MONTHS unset or 0)");
                } else {
                    out.println("Retention: keeping " + retention.keptFrom() + " onwards");
                    retention.dropped().forEach(name -> out.println("Dropped " + name));
                    if (retention.dropped().isEmpty()) {
                        out.println("Dropped nothing");
                    }
                    if (retention.deletedFromDefault() > 0) {
                        out.println("Deleted " + retention.deletedFromDefault() + " row(s) older than "
                                + retention.keptFrom() + " from " + CdrPartitions.DEFAULT_PARTITION);
                    }
                }
                printPartitions(out, report.partitions());
                out.println("Done in " + report.took().toMillis() + " ms");
                return 0;
            }
        } catch (OminisException e) {
            err.println("ominis cdr-maintenance: " + e.getMessage());
            return 2;
        }
    }

    private static void printPartitions(PrintWriter out, java.util.List<CdrPartitions.Partition> partitions) {
        out.println("Partitions now:");
        for (CdrPartitions.Partition p : partitions) {
            out.printf("    - %s %s %s%d rows (%s), %d bytes%n", p.name(), p.isDefault() ? "DEFAULT"
                    : "[" + p.from() + ", " + p.to() + ")", p.rowsExact() ? "" : "~", p.estimatedRows(),
                    p.rowsExact() ? "counted" : "estimated", p.bytes());
        }
    }
}

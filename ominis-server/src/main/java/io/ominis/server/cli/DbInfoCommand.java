package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.Page;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.ExtensionDao;
import io.ominis.db.DatabaseInsight;
import io.ominis.db.Migrations;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code db-info}: the same read-only insight as {@code /v1/admin/db/…}, printed for a terminal. */
@Command(name = "db-info", mixinStandardHelpOptions = true,
        description = "Print table sizes, index usage, unused indexes, connections, active queries, constraints that "
                + "existing rows break, SIP passwords below the policy, and migrations.")
public final class DbInfoCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    public DbInfoCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The numbers of the extensions whose stored password does not meet {@code policy} (never the passwords). */
    static List<String> weakPasswords(Database db, PasswordPolicy policy) {
        List<String> weak = new ArrayList<>();
        ExtensionDao.Query query = ExtensionDao.Query.first(ExtensionDao.MAX_LIMIT);
        while (true) {
            Page<Extension, String> page = db.extensions().list(query);
            page.items().stream().filter(e -> e.password() != null && policy.shortfall(e.password()) != null).forEach(e -> weak.add(e.number()));
            if (!page.hasNext()) {
                return weak;
            }
            query = new ExtensionDao.Query(null, null, null, page.next(), ExtensionDao.MAX_LIMIT);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (HikariDataSource pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env).withPoolSize(2))) {
            DatabaseInsight insight = new DatabaseInsight(pool);
            out.println("Tables:");
            insight.tableSizes().forEach(t -> out.printf("  %-24s %12s%n", t.name(), t.pretty()));
            out.println("Indexes (scans, size):");
            insight.indexUsage().forEach(i -> out.printf("  %-20s %-28s %10d %10s%n", i.table(), i.index(), i.scans(),
                    i.pretty()));
            out.println("Unused indexes:");
            insight.unusedIndexes().forEach(i -> out.printf("  %-20s %-28s %10s%n", i.table(), i.index(), i.pretty()));
            out.println("Connections: " + insight.connectionCount());
            out.println("Active queries:");
            insight.activeQueries().forEach(q -> out.printf("  %6d %-12s %-20s %s%n", q.pid(), q.user(),
                    q.queryStart(), q.query().replaceAll("\\s+", " ")));
            out.println("Constraints some existing rows break (fix the rows, then ALTER TABLE … VALIDATE CONSTRAINT):");
            insight.unvalidatedConstraints().forEach(c -> out.printf("  %-20s %s%n", c.table(), c.constraint()));
            PasswordPolicy policy = PasswordPolicy.fromEnvironment(env);
            List<String> weak = weakPasswords(Database.create(pool), policy);
            out.println("SIP passwords below the policy (" + policy.minLength() + " characters, " + policy.minClasses()
                    + " classes): " + weak.size() + (weak.isEmpty() ? "" : " — "
                    + String.join(", ", weak.size() > 50 ? weak.subList(0, 50) : weak) + (weak.size() > 50 ? ", …" : "")));
            out.println("Migrations:");
            Migrations.history(pool).forEach(m -> out.printf("  %-4s %-32s %s%n",
                    m.getVersion() == null ? "" : m.getVersion().getVersion(), m.getScript(),
                    m.getState().getDisplayName()));
            return 0;
        } catch (OminisException e) {
            spec.commandLine().getErr().println("ominis db-info: " + e.getMessage());
            return 2;
        }
    }
}

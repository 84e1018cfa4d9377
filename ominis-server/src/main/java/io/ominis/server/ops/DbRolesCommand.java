package io.ominis.server.ops;

import io.ominis.core.OperationFailedException;
import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.admin.DbRoles;
import io.ominis.server.ops.internal.OpsCommand;
import io.ominis.db.admin.PgTools;
import io.ominis.db.admin.RoleSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code db-roles}: creates or updates the API, FreeSWITCH and analytics roles with least privilege (see
 * {@code docs/operations.md}). Idempotent; run it after {@code migrate}, as a superuser or the schema owner.
 */
@Command(name = "db-roles", mixinStandardHelpOptions = true,
        description = {
            "Create or update the API, FreeSWITCH and analytics database roles with least privilege.",
            "Create or update the database roles: API (OMINIS_DB_API_ROLE, default ominis_api), FreeSWITCH",
            "(OMINIS_DB_FREESWITCH_ROLE, default ominis_freeswitch) and analytics (OMINIS_DB_ANALYTICS_ROLE, default",
            "ominis_analytics). Passwords from OMINIS_DB_API_PASSWORD, OMINIS_DB_FREESWITCH_PASSWORD,",
            "OMINIS_DB_ANALYTICS_PASSWORD; a role without a password is NOLOGIN. Run after 'migrate' as a superuser."
        })
public final class DbRolesCommand extends OpsCommand {

    public DbRolesCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    protected int execute(PrintWriter out) {
        RoleSettings roles = RoleSettings.fromEnvironment(env);
        DatabaseSettings db = DatabaseSettings.fromEnvironment(env);
        try (HikariDataSource pool = ConnectionPool.open(db.withPoolSize(1)); Connection c = pool.getConnection()) {
            out.println("Applying role privileges in database " + db.describe());
            for (DbRoles.Outcome o : DbRoles.apply(c, roles)) {
                out.printf("  %-24s %s, %s%n", o.name(), o.created() ? "created" : "updated",
                        o.login() ? "LOGIN with password" : "NOLOGIN (no password set)");
            }
            out.println("Done: FreeSWITCH owns its tables, the API reads and writes Ominis's, analytics reads cdr.");
            return 0;
        } catch (SQLException e) {
            throw new OperationFailedException("cannot apply roles in " + db.describe() + ": " + PgTools.firstLine(e.getMessage()), e);
        }
    }
}

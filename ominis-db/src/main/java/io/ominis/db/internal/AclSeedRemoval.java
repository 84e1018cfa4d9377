package io.ominis.db.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Part of the migrations when {@code trusted_users} is not to be seeded: right after V4 creates {@code acl_entries}
 * and inserts the spec's three seed rows, and in its transaction, removes exactly those rows again, so a new database
 * starts with no ACL entries at all. V4 itself cannot change (its checksum is recorded in every database migrated
 * with it).
 */
public final class AclSeedRemoval implements Callback {

    /** The migration that creates {@code acl_entries} with its seed. */
    static final String SEEDING_VERSION = "4";

    private static final String DELETE_SEED = """
            DELETE FROM acl_entries
             WHERE list_name = 'trusted_users'
               AND permission = 'allow'
               AND (cidr, description) IN (('10.42.0.0/16', 'Kubernetes pod network'),
                                           ('10.43.0.0/16', 'Kubernetes service network'),
                                           ('127.0.0.1/32', 'Localhost'))
            """;

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_EACH_MIGRATE && context.getMigrationInfo() != null
                && context.getMigrationInfo().getVersion() != null
                && SEEDING_VERSION.equals(context.getMigrationInfo().getVersion().getVersion());
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try (PreparedStatement st = context.getConnection().prepareStatement(DELETE_SEED)) {
            st.executeUpdate();
        } catch (SQLException e) {
            throw new FlywayException("removing the trusted_users seed failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "ominis-acl-seed-removal";
    }
}

package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.MigrationSettings;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spec's {@code trusted_users} seed: there by default, left out when {@code OMINIS_ACL_SEED=false}. */
class AclSeedTest {

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    @Test
    void byDefaultANewDatabaseGetsTheSpecsSeed() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("seeded"));
        Migrations.migrate(ds, MigrationSettings.fromEnvironment(Map.of()).seedTrustedUsers());
        assertThat(entries(ds)).containsExactly("trusted_users 10.42.0.0/16 allow", "trusted_users 10.43.0.0/16 allow",
                "trusted_users 127.0.0.1/32 allow");
    }

    @Test
    void withTheSeedOffANewDatabaseHasNoAclEntriesAndWorksAsUsual() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("unseeded"));
        Migrations.Result result = Migrations.migrate(ds,
                MigrationSettings.fromEnvironment(Map.of("OMINIS_ACL_SEED", "false")).seedTrustedUsers());
        assertThat(result.applied()).extracting(Migrations.AppliedMigration::version).contains("4");
        assertThat(entries(ds)).isEmpty();
        assertThat(Migrations.isCurrent(ds)).isTrue();
        // the table is the same one: the seed's networks can be added by hand, and a second run changes nothing
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO acl_entries (list_name, cidr, permission, description) "
                    + "VALUES ('trusted_users', '10.42.0.0/16', 'allow', 'Kubernetes pod network')");
        }
        assertThat(Migrations.migrate(ds, false).applied()).isEmpty();
        assertThat(entries(ds)).containsExactly("trusted_users 10.42.0.0/16 allow");
    }

    @Test
    void turningTheSeedOffLaterLeavesAnExistingDatabasesRowsAlone() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("later"));
        MigrationsTest.migrateTo(ds, "3");
        Migrations.migrate(ds, true);
        assertThat(entries(ds)).hasSize(3);
        Migrations.migrate(ds, false);
        assertThat(entries(ds)).hasSize(3);
    }

    /**
     * The removal runs in V4's own transaction: when anything fails after it within V4's callbacks, V4 is rolled back
     * with it, so a crash can never leave a database with V4 applied and the seed half-removed.
     */
    @Test
    void theRemovalIsPartOfV4sTransaction() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("atomic"));
        MigrationsTest.migrateTo(ds, "3");
        org.flywaydb.core.api.callback.Callback failAfterV4 = new org.flywaydb.core.api.callback.Callback() {
            @Override
            public boolean supports(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                return new io.ominis.db.internal.AclSeedRemoval().supports(event, context);
            }

            @Override
            public boolean canHandleInTransaction(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                return true;
            }

            @Override
            public void handle(org.flywaydb.core.api.callback.Event event,
                    org.flywaydb.core.api.callback.Context context) {
                try (Statement st = context.getConnection().createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM acl_entries")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero(); // the removal ran before, on this connection
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("simulated failure after the seed removal");
            }

            @Override
            public String getCallbackName() {
                return "zz-fail-after-v4"; // Flyway runs callbacks in name order: after the removal
            }
        };
        assertThatThrownBy(() -> org.flywaydb.core.Flyway.configure().dataSource(ds).locations(Migrations.LOCATION)
                .table(Migrations.HISTORY_TABLE).baselineOnMigrate(true).baselineVersion("0")
                .placeholderReplacement(false).target("4")
                .callbacks(new io.ominis.db.internal.AclSeedRemoval(), failAfterV4).load().migrate())
                .hasMessageContaining("simulated failure");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('acl_entries') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("V4 rolled back with its callbacks").isTrue();
        }
    }

    @Test
    void aValueThatIsNotABooleanNamesTheSetting() {
        assertThatThrownBy(() -> MigrationSettings.fromEnvironment(Map.of("OMINIS_ACL_SEED", "maybe")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OMINIS_ACL_SEED");
    }

    private static List<String> entries(DataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT list_name, cidr, permission FROM acl_entries ORDER BY cidr")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return out;
    }
}

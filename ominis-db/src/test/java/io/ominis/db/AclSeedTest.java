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

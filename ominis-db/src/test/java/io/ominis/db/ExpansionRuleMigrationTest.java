package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Migration V8 (no {@code ${} in JSON members, play_audio's structural rule) on a database that already holds rows:
 * fine rows validate the new constraints; rows that break them do not stop the upgrade, leave their constraint
 * unvalidated (reported by {@link DatabaseInsight#unvalidatedConstraints()}) and new writes are refused all the same.
 */
class ExpansionRuleMigrationTest {

    @RegisterExtension
    static final OminisDatabase empty = OminisDatabase.empty();

    @Test
    void validatesOverFineRowsAndReportsRowsThatBreakTheRuleWithoutFailing() throws SQLException {
        DataSource ds = MigrationsTest.dataSource(empty, empty.createScratchDatabase("v8"));
        MigrationsTest.migrateTo(ds, "7");
        CdrPartitionMigrationTest.execute(ds, "INSERT INTO extensions (number, password, voicemail_json, features_json) VALUES "
                        + "('1001', 'Secret-1001-pass', '{\"password\": \"1234\"}', '{\"accountcode\": \"sales\"}'),"
                        + "('1002', 'Secret-1002-pass', NULL, '{\"accountcode\": \"${system(id)}\"}')",
                "INSERT INTO ivrs (name) VALUES ('main')",
                "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text) VALUES ('main', 'main_menu', 'Hi')",
                "INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target) SELECT id, '1', "
                        + "'play_audio', 'tone_stream://%(1000,0,350)' FROM ivr_menus");

        Migrations.migrate(ds);

        assertThat(new DatabaseInsight(ds).unvalidatedConstraints()).containsExactly(
                new DatabaseInsight.UnvalidatedConstraint("extensions", "extensions_features_json_check"));
        assertThatThrownBy(() -> CdrPartitionMigrationTest.execute(ds, "INSERT INTO extensions (number, password, features_json) VALUES "
                + "('1003', 'Secret-1003-pass', '{\"accountcode\": \"$${hostname}\"}')"))
                .hasMessageContaining("extensions_features_json_check");
        assertThatThrownBy(() -> CdrPartitionMigrationTest.execute(ds, "UPDATE ivr_menu_options SET action_target = 'shell_stream:///bin/sh'"))
                .hasMessageContaining("ivr_menu_options_action_target_check");
        Database db = Database.create(ds);
        assertThatThrownBy(() -> db.extensions().modify("1002", e -> e))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("features_json.accountcode"));

        CdrPartitionMigrationTest.execute(ds, "UPDATE extensions SET features_json = NULL WHERE number = '1002'",
                "ALTER TABLE extensions VALIDATE CONSTRAINT extensions_features_json_check");
        assertThat(new DatabaseInsight(ds).unvalidatedConstraints()).isEmpty();
    }
}

package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.db.internal.SqlErrors;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IvrMenuOptionDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Database database;
    private IvrMenuOptionDao options;
    private IvrMenu main;
    private IvrMenu billing;
    private IvrMenu foreign;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        options = database.ivrMenuOptions();
        sql.run("DELETE FROM ivrs");
        database.ivrs().create(Ivr.named("sales"));
        database.ivrs().create(Ivr.named("other"));
        main = database.ivrMenus().create(IvrMenu.of("sales", "main", "Welcome"));
        billing = database.ivrMenus().create(IvrMenu.of("sales", "billing", "Billing"));
        foreign = database.ivrMenus().create(IvrMenu.of("other", "support", "Support"));
    }

    @Test
    void createsAndReadsBackEveryFieldWithJsonbConfig() throws Exception {
        JsonNode config = JSON.readTree("{\"timeout\": 30, \"headers\": {\"X-A\": \"b\"}, \"list\": [1, 2.5, null]}");
        IvrMenuOption created = options.create(new IvrMenuOption(null, main.id(), "1", IvrActionType.HTTP_API_CALL,
                "https://api.example.com/balance", config, "Balance", null));
        assertThat(created.id()).isNotNull();
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.actionConfig()).isEqualTo(config);
        assertThat(options.get(created.id())).isEqualTo(created);
        assertThat(options.find(main.id(), "1")).contains(created);
        assertThat(options.find(main.id(), "2")).isEmpty();
        assertThat(options.find(created.id() + 1000)).isEmpty();
        assertThatThrownBy(() -> options.get(created.id() + 1000)).isInstanceOf(NotFoundException.class);
        assertThat(options.create(IvrMenuOption.of(main.id(), "0", IvrActionType.HANGUP, "NORMAL_CLEARING"))
                .actionConfig()).isNull();
    }

    @Test
    void refusesADuplicateDigitWithinAMenuButNotAcrossMenus() throws SQLException {
        options.create(IvrMenuOption.of(main.id(), "1", IvrActionType.TRANSFER_EXTENSION, "1001"));
        assertThatThrownBy(() -> options.create(IvrMenuOption.of(main.id(), "1", IvrActionType.VOICEMAIL, "1002")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(options.find(main.id(), "1").orElseThrow().actionTarget()).isEqualTo("1001");
        options.create(IvrMenuOption.of(billing.id(), "1", IvrActionType.VOICEMAIL, "1002"));
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isEqualTo(2);
    }

    @Test
    void anOptionOfAMissingMenuIsNotFound() throws SQLException {
        int missing = main.id() + 1000;
        assertThatThrownBy(() -> options.create(IvrMenuOption.of(missing, "1", IvrActionType.HANGUP, "NORMAL_CLEARING")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.entity()).isEqualTo("ivr menu"));
        assertThatThrownBy(() -> options.create(IvrMenuOption.of(missing, "1", IvrActionType.SUB_MENU, "main")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.entity()).isEqualTo("ivr menu"));
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();
    }

    @Test
    void aSubMenuMustBeAMenuOfTheSameIvr() throws SQLException {
        IvrMenuOption ok = options.create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing"));
        assertThat(ok.actionTarget()).isEqualTo("billing");
        // "support" exists, but in another IVR
        assertInvalid(() -> options.create(IvrMenuOption.of(main.id(), "3", IvrActionType.SUB_MENU, "support")),
                "action_target");
        assertInvalid(() -> options.create(IvrMenuOption.of(main.id(), "3", IvrActionType.SUB_MENU, "nowhere")),
                "action_target");
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isEqualTo(1);
        // an update is held to the same rule
        assertInvalid(() -> options.update(new IvrMenuOption(ok.id(), main.id(), "2", IvrActionType.SUB_MENU,
                "nowhere", null, null, null)), "action_target");
        assertThat(options.get(ok.id())).isEqualTo(ok);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        int m = main.id();
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "A", IvrActionType.HANGUP, "NORMAL_CLEARING")), "digit");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "", IvrActionType.HANGUP, "NORMAL_CLEARING")), "digit");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "/[/", IvrActionType.HANGUP, "NORMAL_CLEARING")), "digit");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "1", null, "x")), "action_type");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "1", IvrActionType.PLAY_AUDIO, "  ")), "action_target");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "1", IvrActionType.TRANSFER_QUEUE, "bad queue")),
                "action_target");
        assertInvalid(() -> options.create(IvrMenuOption.of(m, "1", IvrActionType.HTTP_API_CALL, "ftp://x")),
                "action_target");
        assertInvalid(() -> options.create(new IvrMenuOption(null, m, "1", IvrActionType.HANGUP, "NORMAL_CLEARING",
                JSON.readTree("[1, 2]"), null, null)), "action_config");
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() throws SQLException {
        String insert = "INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target, action_config) "
                + "VALUES (" + main.id() + ", ";
        sql.assertRefused(insert + "'A', 'hangup', 'NORMAL_CLEARING', NULL)", "ivr_menu_options_digit_check");
        sql.assertRefused(insert + "'1', 'teleport', 'x', NULL)", "ivr_menu_options_action_type_check");
        sql.assertRefused(insert + "'1', 'hangup', '  ', NULL)", "ivr_menu_options_action_target_check");
        sql.assertRefused(insert + "'1', 'play_audio', 'say:${system(id)}', NULL)",
                "ivr_menu_options_action_target_check");
        sql.assertRefused(insert + "'1', 'hangup', 'x', '[1]')", "ivr_menu_options_action_config_check");
        sql.assertRefused("INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target) VALUES ("
                + (main.id() + 1000) + ", '1', 'hangup', 'x')", "ivr_menu_options_menu_id_fkey");
        sql.run(insert + "'1', 'hangup', 'x', '{}')");
        sql.assertRefused(insert + "'1', 'hangup', 'x', NULL)", "ivr_menu_options_menu_id_digit_key");
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isEqualTo(1);
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = database.jdbi();
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target) VALUES (?, '1', 'teleport', 'x')",
                main.id()))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("action_type"));
    }

    @Test
    void updateReplacesTheActionAndKeepsTheOptionInItsMenu() throws Exception {
        IvrMenuOption created = options.create(IvrMenuOption.of(main.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        IvrMenuOption changed = options.update(new IvrMenuOption(created.id(), main.id(), "#", IvrActionType.SUB_MENU,
                "billing", JSON.readTree("{\"a\": 1}"), "to billing", null));
        assertThat(changed.digit()).isEqualTo("#");
        assertThat(changed.actionType()).isEqualTo(IvrActionType.SUB_MENU);
        assertThat(changed.actionConfig().get("a").asInt()).isEqualTo(1);
        assertThat(changed.createdAt()).isEqualTo(created.createdAt());
        assertThat(options.get(created.id())).isEqualTo(changed);

        assertThatThrownBy(() -> options.update(new IvrMenuOption(created.id(), billing.id(), "1",
                IvrActionType.HANGUP, "NORMAL_CLEARING", null, null, null))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> options.update(new IvrMenuOption(created.id() + 1000, main.id(), "1",
                IvrActionType.HANGUP, "NORMAL_CLEARING", null, null, null))).isInstanceOf(NotFoundException.class);
        assertInvalid(() -> options.update(IvrMenuOption.of(main.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING")),
                "id");
        options.create(IvrMenuOption.of(main.id(), "5", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        assertThatThrownBy(() -> options.update(new IvrMenuOption(created.id(), main.id(), "5", IvrActionType.HANGUP,
                "NORMAL_CLEARING", null, null, null))).isInstanceOf(AlreadyExistsException.class);
        assertThat(options.get(created.id())).isEqualTo(changed);
    }

    @Test
    void deletesAndListsByDigit() {
        options.create(IvrMenuOption.of(main.id(), "2", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        IvrMenuOption one = options.create(IvrMenuOption.of(main.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        options.create(IvrMenuOption.of(main.id(), "timeout", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        options.create(IvrMenuOption.of(billing.id(), "0", IvrActionType.SUB_MENU, "main"));
        options.create(IvrMenuOption.of(foreign.id(), "0", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        assertThat(options.list(main.id())).extracting(IvrMenuOption::digit).containsExactly("1", "2", "timeout");
        assertThat(options.list(main.id() + 1000)).isEmpty();

        assertThat(options.delete(one.id())).isTrue();
        assertThat(options.delete(one.id())).isFalse();
        assertThat(options.list(main.id())).extracting(IvrMenuOption::digit).containsExactly("2", "timeout");
    }


    @Test
    void aSubMenuTargetDeletedConcurrentlyIsNotReferencedAfterTheDelete() throws Exception {
        try (java.sql.Connection other = db.connect()) {
            other.setAutoCommit(false);
            try (java.sql.Statement st = other.createStatement()) {
                st.execute("DELETE FROM ivr_menus WHERE id = " + billing.id());
            }
            // the create must wait for the uncommitted delete instead of reading the old row and going ahead
            var creating = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    options.create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing")));
            Thread.sleep(300);
            assertThat(creating).isNotDone();
            other.commit();
            assertThatThrownBy(() -> creating.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidValueException.class)
                    .cause().hasMessageContaining("action_target");
        }
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();
    }
    @Test
    void storesRegexAndTimeoutBindings() {
        assertThat(options.create(IvrMenuOption.of(main.id(), "/^[2-5]$/", IvrActionType.HANGUP, "NORMAL_CLEARING"))
                .digit()).isEqualTo("/^[2-5]$/");
        assertThat(options.create(IvrMenuOption.of(main.id(), "*#0", IvrActionType.HANGUP, "NORMAL_CLEARING"))
                .digit()).isEqualTo("*#0");
    }
}

package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.ConflictException;
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

class IvrMenuDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);

    private Database database;
    private IvrMenuDao menus;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        menus = database.ivrMenus();
        sql.run("DELETE FROM ivrs");
        database.ivrs().create(Ivr.named("sales"));
        database.ivrs().create(Ivr.named("other"));
    }

    @Test
    void createsAndReadsBackEveryField() {
        IvrMenu created = menus.create(new IvrMenu(null, "sales", "main", "Welcome.\nPress 1.", "nova", 7, 4,
                "Sorry?", null, null));
        assertThat(created.id()).isNotNull();
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(menus.get(created.id())).isEqualTo(created);
        assertThat(menus.find("sales", "main")).contains(created);
        assertThat(menus.find("other", "main")).isEmpty();
        assertThat(menus.find("sales", "bad id!")).isEmpty();
        assertThat(menus.find(created.id() + 1000)).isEmpty();
        assertThatThrownBy(() -> menus.get(created.id() + 1000)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aNewMenuGetsTheSpecsDefaults() {
        IvrMenu created = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        assertThat(created.timeoutSeconds()).isEqualTo(5);
        assertThat(created.maxRetries()).isEqualTo(3);
        assertThat(created.ttsVoice()).isNull();
    }

    @Test
    void aMenuOfAMissingIvrIsNotFoundAndNothingIsWritten() throws SQLException {
        assertThatThrownBy(() -> menus.create(IvrMenu.of("nobody", "main", "Hi")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.entity()).isEqualTo("ivr");
                    assertThat(e.key()).isEqualTo("nobody");
                });
        assertThat(sql.number("SELECT count(*) FROM ivr_menus")).isZero();
    }

    @Test
    void refusesADuplicateMenuIdWithinAnIvrButNotAcrossIvrs() throws SQLException {
        menus.create(IvrMenu.of("sales", "main", "first"));
        assertThatThrownBy(() -> menus.create(IvrMenu.of("sales", "main", "second")))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("main");
        assertThat(menus.find("sales", "main").orElseThrow().promptText()).isEqualTo("first");
        menus.create(IvrMenu.of("other", "main", "elsewhere"));
        assertThat(sql.number("SELECT count(*) FROM ivr_menus")).isEqualTo(2);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        assertInvalid(() -> menus.create(IvrMenu.of("bad name", "main", "Hi")), "ivr_name");
        assertInvalid(() -> menus.create(IvrMenu.of("sales", "bad id", "Hi")), "menu_id");
        assertInvalid(() -> menus.create(IvrMenu.of("sales", "x".repeat(101), "Hi")), "menu_id");
        assertInvalid(() -> menus.create(IvrMenu.of("sales", "main", "  \n ")), "prompt_text");
        assertInvalid(() -> menus.create(IvrMenu.of("sales", "main", null)), "prompt_text");
        assertInvalid(() -> menus.create(menu(0, 3)), "timeout_seconds");
        assertInvalid(() -> menus.create(menu(301, 3)), "timeout_seconds");
        assertInvalid(() -> menus.create(menu(5, 0)), "max_retries");
        assertInvalid(() -> menus.create(menu(5, 11)), "max_retries");
        assertInvalid(() -> menus.create(IvrMenu.of("sales", "main", "Press ${system(id)}")), "prompt_text");
        assertInvalid(() -> menus.create(new IvrMenu(null, "sales", "main", "Hi", null, 5, 3, "${x}", null, null)),
                "invalid_prompt");
        assertInvalid(() -> menus.create(new IvrMenu(null, "sales", "main", "Hi", "no voice", 5, 3, null, null, null)),
                "tts_voice");
        assertThat(sql.number("SELECT count(*) FROM ivr_menus")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() throws SQLException {
        String insert = "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text, timeout_seconds, max_retries) VALUES ";
        sql.assertRefused(insert + "('sales', 'bad id', 'Hi', 5, 3)", "ivr_menus_menu_id_check");
        sql.assertRefused(insert + "('sales', 'main', '   ', 5, 3)", "ivr_menus_prompt_text_check");
        sql.assertRefused(insert + "('sales', 'main', 'Say ${system(id)}', 5, 3)", "ivr_menus_prompt_text_check");
        sql.assertRefused("INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text, invalid_prompt) "
                + "VALUES ('sales', 'main', 'Hi', '${api(status)}')", "ivr_menus_invalid_prompt_check");
        sql.assertRefused(insert + "('sales', 'main', 'Hi', 0, 3)", "ivr_menus_timeout_seconds_check");
        sql.assertRefused(insert + "('sales', 'main', 'Hi', 301, 3)", "ivr_menus_timeout_seconds_check");
        sql.assertRefused(insert + "('sales', 'main', 'Hi', 5, 0)", "ivr_menus_max_retries_check");
        sql.assertRefused(insert + "('sales', 'main', 'Hi', 5, 11)", "ivr_menus_max_retries_check");
        sql.assertRefused(insert + "('nobody', 'main', 'Hi', 5, 3)", "ivr_menus_ivr_name_fkey");
        sql.run(insert + "('sales', 'main', 'Hi', 5, 3)");
        sql.assertRefused(insert + "('sales', 'main', 'Hi', 5, 3)", "ivr_menus_ivr_name_menu_id_key");
        assertThat(sql.number("SELECT count(*) FROM ivr_menus")).isEqualTo(1);
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = database.jdbi();
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text, max_retries) VALUES ('sales', 'm', 'Hi', 99)"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("max_retries"));
    }

    @Test
    void updateReplacesFieldsAndAdvancesUpdatedAt() throws Exception {
        IvrMenu created = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        Thread.sleep(5);
        IvrMenu changed = menus.update(new IvrMenu(created.id(), "sales", "main", "Hello again", "echo", 10, 2,
                "Try again", null, null));
        assertThat(changed.promptText()).isEqualTo("Hello again");
        assertThat(changed.ttsVoice()).isEqualTo("echo");
        assertThat(changed.timeoutSeconds()).isEqualTo(10);
        assertThat(changed.maxRetries()).isEqualTo(2);
        assertThat(changed.invalidPrompt()).isEqualTo("Try again");
        assertThat(changed.createdAt()).isEqualTo(created.createdAt());
        assertThat(changed.updatedAt()).isAfter(created.updatedAt());
        assertThat(menus.get(created.id())).isEqualTo(changed);
    }

    @Test
    void updateRefusesMissingMenusMovesBetweenIvrsDuplicatesAndBadValues() {
        IvrMenu main = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        menus.create(IvrMenu.of("sales", "billing", "Billing"));
        assertThatThrownBy(() -> menus.update(withId(IvrMenu.of("sales", "main", "x"), main.id() + 1000)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> menus.update(withId(IvrMenu.of("other", "main", "x"), main.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> menus.update(withId(IvrMenu.of("sales", "billing", "x"), main.id())))
                .isInstanceOf(AlreadyExistsException.class);
        assertInvalid(() -> menus.update(withId(IvrMenu.of("sales", "main", " "), main.id())), "prompt_text");
        assertInvalid(() -> menus.update(IvrMenu.of("sales", "main", "x")), "id");
        assertThat(menus.get(main.id())).isEqualTo(main);
    }

    @Test
    void renamingAMenuCarriesTheSubMenuOptionsThatLeadToIt() {
        IvrMenu main = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        IvrMenu billing = menus.create(IvrMenu.of("sales", "billing", "Billing"));
        IvrMenu foreign = menus.create(IvrMenu.of("other", "main", "Other"));
        var options = database.ivrMenuOptions();
        IvrMenuOption toBilling = options.create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing"));
        IvrMenuOption self = options.create(IvrMenuOption.of(billing.id(), "*", IvrActionType.SUB_MENU, "billing"));
        // a play_audio target that happens to read "billing" is not a reference
        IvrMenuOption audio = options.create(IvrMenuOption.of(main.id(), "3", IvrActionType.PLAY_AUDIO, "billing"));
        menus.create(IvrMenu.of("other", "billing", "Other billing"));
        IvrMenuOption otherIvr = options.create(IvrMenuOption.of(foreign.id(), "2", IvrActionType.SUB_MENU, "billing"));

        menus.update(withId(IvrMenu.of("sales", "accounts", "Billing"), billing.id()));

        assertThat(options.get(toBilling.id()).actionTarget()).isEqualTo("accounts");
        assertThat(options.get(self.id()).actionTarget()).isEqualTo("accounts");
        assertThat(options.get(audio.id()).actionTarget()).isEqualTo("billing");
        assertThat(options.get(otherIvr.id()).actionTarget()).isEqualTo("billing");
    }

    @Test
    void theUpdatedAtTriggerFiresForPlainSqlToo() throws Exception {
        IvrMenu created = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        Thread.sleep(5);
        sql.run("UPDATE ivr_menus SET prompt_text = 'via psql' WHERE id = " + created.id());
        assertThat(menus.get(created.id()).updatedAt()).isAfter(created.updatedAt());
    }

    @Test
    void deleteCascadesToItsOptions() throws SQLException {
        menus.create(IvrMenu.of("sales", "welcome", "Welcome")); // the root, which cannot be deleted
        IvrMenu main = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        // an option leading back to its own menu goes with it and does not block the delete
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "9", IvrActionType.SUB_MENU, "main"));
        assertThat(menus.delete(main.id())).isTrue();
        assertThat(menus.delete(main.id())).isFalse();
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();

        IvrMenu again = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        database.ivrMenuOptions().create(IvrMenuOption.of(again.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        sql.run("DELETE FROM ivr_menus WHERE id = " + again.id());
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();
    }

    @Test
    void refusesToDeleteAMenuAnotherMenuStillLeadsTo() throws SQLException {
        IvrMenu main = menus.create(IvrMenu.of("sales", "main", "Welcome"));
        IvrMenu billing = menus.create(IvrMenu.of("sales", "billing", "Billing"));
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing"));
        assertThatThrownBy(() -> menus.delete(billing.id()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("billing")
                .hasMessageContaining("main");
        assertThat(menus.find(billing.id())).isPresent();
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isEqualTo(1);
    }

    @Test
    void listsTheMenusOfOneIvrByMenuId() {
        menus.create(IvrMenu.of("sales", "main", "a"));
        menus.create(IvrMenu.of("sales", "billing", "b"));
        menus.create(IvrMenu.of("other", "aaa", "c"));
        menus.create(IvrMenu.of("sales", "care", "d"));
        assertThat(menus.list("sales")).extracting(IvrMenu::menuId).containsExactly("billing", "care", "main");
        assertThat(menus.list("nobody")).isEmpty();
    }

    private static IvrMenu menu(int timeout, int retries) {
        return new IvrMenu(null, "sales", "main", "Hi", null, timeout, retries, null, null, null);
    }

    private static IvrMenu withId(IvrMenu m, int id) {
        return new IvrMenu(id, m.ivrName(), m.menuId(), m.promptText(), m.ttsVoice(), m.timeoutSeconds(),
                m.maxRetries(), m.invalidPrompt(), null, null);
    }
}

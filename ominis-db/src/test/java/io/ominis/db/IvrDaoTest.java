package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrStatus;
import io.ominis.db.internal.SqlErrors;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IvrDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);

    private Database database;
    private IvrDao ivrs;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        ivrs = database.ivrs();
        sql.run("DELETE FROM ivrs");
    }

    @Test
    void createsAndReadsBackEveryField() {
        Ivr created = ivrs.create(new Ivr("sales-ivr", "Sales line\nsecond line", "enc:v1:abc", "en-US", "nova",
                "tts-1-hd", IvrStatus.RUNNING, "ivr-sales-0", "ivr-sales", null, null));
        assertThat(created.openaiApiKey()).isEqualTo("enc:v1:abc");
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(ivrs.get("sales-ivr")).isEqualTo(created);
        assertThat(created.toString()).doesNotContain("enc:v1:abc");
    }

    @Test
    void aNewIvrGetsTheSpecsDefaults() {
        Ivr created = ivrs.create(Ivr.named("support"));
        assertThat(created.defaultLanguage()).isEqualTo("en");
        assertThat(created.defaultVoice()).isEqualTo("alloy");
        assertThat(created.ttsModel()).isEqualTo("tts-1");
        assertThat(created.status()).isEqualTo(IvrStatus.PENDING);
        assertThat(created.openaiApiKey()).isNull();
    }

    @Test
    void refusesADuplicateNameAndKeepsTheFirst() throws SQLException {
        ivrs.create(Ivr.named("sales").withOpenaiApiKey("first"));
        assertThatThrownBy(() -> ivrs.create(Ivr.named("sales").withOpenaiApiKey("second")))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("sales");
        assertThat(ivrs.get("sales").openaiApiKey()).isEqualTo("first");
        assertThat(sql.number("SELECT count(*) FROM ivrs")).isEqualTo(1);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        assertInvalid(() -> ivrs.create(Ivr.named("bad name")), "name");
        assertInvalid(() -> ivrs.create(Ivr.named("")), "name");
        assertInvalid(() -> ivrs.create(Ivr.named("x".repeat(65))), "name");
        assertInvalid(() -> ivrs.create(Ivr.named("-leading-dash")), "name");
        assertInvalid(() -> ivrs.create(ivr("a", "english!", null, null, null)), "default_language");
        assertInvalid(() -> ivrs.create(ivr("a", null, "al loy", null, null)), "default_voice");
        assertInvalid(() -> ivrs.create(ivr("a", null, null, "", null)), "tts_model");
        assertInvalid(() -> ivrs.create(ivr("a", null, null, null, "pod\n0")), "pod_name");
        assertInvalid(() -> ivrs.create(Ivr.named("a").withOpenaiApiKey("key\u0000")), "openai_api_key");
        assertThat(sql.number("SELECT count(*) FROM ivrs")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() throws SQLException {
        sql.assertRefused("INSERT INTO ivrs (name) VALUES ('bad name')", "ivrs_name_check");
        sql.assertRefused("INSERT INTO ivrs (name) VALUES ('')", "ivrs_name_check");
        sql.assertRefused("INSERT INTO ivrs (name, status) VALUES ('a', 'exploded')", "ivrs_status_check");
        sql.run("INSERT INTO ivrs (name) VALUES ('a')");
        sql.assertRefused("INSERT INTO ivrs (name) VALUES ('a')", "ivrs_pkey");
        assertThat(sql.number("SELECT count(*) FROM ivrs")).isEqualTo(1);
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = database.jdbi();
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivrs (name, status) VALUES ('a', 'exploded')"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("status"));
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO ivrs (name) VALUES ('bad name')"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void updateReplacesEveryFieldAndAdvancesUpdatedAt() throws Exception {
        Ivr created = ivrs.create(Ivr.named("sales").withOpenaiApiKey("old"));
        Thread.sleep(5);
        Ivr changed = ivrs.update(new Ivr("sales", "new text", null, "fr", "echo", "tts-1-hd", IvrStatus.STOPPED,
                "pod", "svc", null, null));
        assertThat(changed.openaiApiKey()).isNull();
        assertThat(changed.defaultLanguage()).isEqualTo("fr");
        assertThat(changed.status()).isEqualTo(IvrStatus.STOPPED);
        assertThat(changed.createdAt()).isEqualTo(created.createdAt());
        assertThat(changed.updatedAt()).isAfter(created.updatedAt());
        assertThat(ivrs.get("sales")).isEqualTo(changed);
        assertThatThrownBy(() -> ivrs.update(Ivr.named("nobody"))).isInstanceOf(NotFoundException.class);
        assertInvalid(() -> ivrs.update(ivr("sales", "??", null, null, null)), "default_language");
        assertThat(ivrs.get("sales")).isEqualTo(changed);
    }

    @Test
    void theUpdatedAtTriggerFiresForPlainSqlToo() throws Exception {
        Ivr created = ivrs.create(Ivr.named("sales"));
        Thread.sleep(5);
        sql.run("UPDATE ivrs SET description = 'via psql' WHERE name = 'sales'");
        assertThat(ivrs.get("sales").updatedAt()).isAfter(created.updatedAt());
    }

    @Test
    void setStatusRecordsThePodAndLeavesTheConfigurationAlone() {
        Ivr created = ivrs.create(new Ivr("sales", "d", "key", "de", "nova", "tts-1", null, null, null, null, null));
        Ivr running = ivrs.setStatus("sales", IvrStatus.RUNNING, "ivr-sales-7f9", "ivr-sales");
        assertThat(running.status()).isEqualTo(IvrStatus.RUNNING);
        assertThat(running.podName()).isEqualTo("ivr-sales-7f9");
        assertThat(running.serviceName()).isEqualTo("ivr-sales");
        assertThat(running.openaiApiKey()).isEqualTo("key");
        assertThat(running.defaultLanguage()).isEqualTo("de");
        assertThat(running.description()).isEqualTo("d");
        assertThat(running.createdAt()).isEqualTo(created.createdAt());

        Ivr stopped = ivrs.setStatus("sales", IvrStatus.STOPPED, null, null);
        assertThat(stopped.podName()).isNull();
        assertThat(ivrs.get("sales")).isEqualTo(stopped);

        assertThatThrownBy(() -> ivrs.setStatus("nobody", IvrStatus.RUNNING, null, null))
                .isInstanceOf(NotFoundException.class);
        assertInvalid(() -> ivrs.setStatus("sales", null, null, null), "status");
        assertInvalid(() -> ivrs.setStatus("sales", IvrStatus.ERROR, "bad\npod", null), "pod_name");
        assertThat(ivrs.get("sales")).isEqualTo(stopped);
    }

    @Test
    void findsNothingForNamesThatCannotExist() {
        assertThat(ivrs.find("nobody")).isEmpty();
        assertThat(ivrs.find("not a name")).isEmpty();
        assertThat(ivrs.find(null)).isEmpty();
        assertThatThrownBy(() -> ivrs.get("nobody")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteCascadesToMenusAndOptions() throws SQLException {
        ivrs.create(Ivr.named("sales"));
        ivrs.create(Ivr.named("other"));
        IvrMenu main = database.ivrMenus().create(IvrMenu.of("sales", "main", "Welcome"));
        database.ivrMenuOptions().create(IvrMenuOption.of(main.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));
        IvrMenu kept = database.ivrMenus().create(IvrMenu.of("other", "main", "Hi"));
        database.ivrMenuOptions().create(IvrMenuOption.of(kept.id(), "1", IvrActionType.HANGUP, "NORMAL_CLEARING"));

        assertThat(ivrs.delete("sales")).isTrue();
        assertThat(ivrs.delete("sales")).isFalse();
        assertThat(sql.number("SELECT count(*) FROM ivr_menus WHERE ivr_name = 'sales'")).isZero();
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options WHERE menu_id = " + main.id())).isZero();
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isEqualTo(1);

        // the cascade is the schema's, not the DAO's
        sql.run("DELETE FROM ivrs WHERE name = 'other'");
        assertThat(sql.number("SELECT count(*) FROM ivr_menus")).isZero();
        assertThat(sql.number("SELECT count(*) FROM ivr_menu_options")).isZero();
    }

    @Test
    void listsWithAStatusFilterAndKeysetPages() {
        for (int i = 0; i < 12; i++) {
            ivrs.create(new Ivr(String.format("ivr-%02d", i), null, null, null, null, null,
                    i % 3 == 0 ? IvrStatus.RUNNING : IvrStatus.PENDING, null, null, null, null));
        }
        Page<Ivr, String> first = ivrs.list(IvrDao.Query.first(5));
        assertThat(first.items()).extracting(Ivr::name).containsExactly("ivr-00", "ivr-01", "ivr-02", "ivr-03", "ivr-04");
        assertThat(first.next()).isEqualTo("ivr-04");
        Page<Ivr, String> second = ivrs.list(new IvrDao.Query(null, first.next(), 5));
        assertThat(second.items().get(0).name()).isEqualTo("ivr-05");
        Page<Ivr, String> last = ivrs.list(new IvrDao.Query(null, "ivr-09", 5));
        assertThat(last.items()).extracting(Ivr::name).containsExactly("ivr-10", "ivr-11");
        assertThat(last.hasNext()).isFalse();
        // exactly one page's worth has no next page
        assertThat(ivrs.list(new IvrDao.Query(null, "ivr-06", 5)).hasNext()).isFalse();

        Page<Ivr, String> running = ivrs.list(new IvrDao.Query(IvrStatus.RUNNING, null, 2));
        assertThat(running.items()).extracting(Ivr::name).containsExactly("ivr-00", "ivr-03");
        assertThat(ivrs.list(new IvrDao.Query(IvrStatus.RUNNING, running.next(), 2)).items())
                .extracting(Ivr::name).containsExactly("ivr-06", "ivr-09");
        assertThat(ivrs.list(new IvrDao.Query(IvrStatus.ERROR, null, 10)).items()).isEmpty();
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertInvalid(() -> IvrDao.Query.first(0), "limit");
        assertInvalid(() -> IvrDao.Query.first(IvrDao.MAX_LIMIT + 1), "limit");
    }

    @Test
    void loadsAWholeIvrWithMenusAndOptionsGroupedByMenu() throws Exception {
        ivrs.create(Ivr.named("sales").withOpenaiApiKey("k"));
        ivrs.create(Ivr.named("other"));
        IvrMenu main = database.ivrMenus().create(IvrMenu.of("sales", "main", "Welcome"));
        IvrMenu billing = database.ivrMenus().create(IvrMenu.of("sales", "billing", "Billing"));
        IvrMenu empty = database.ivrMenus().create(IvrMenu.of("sales", "zz-empty", "Nothing here"));
        IvrMenu foreign = database.ivrMenus().create(IvrMenu.of("other", "main", "Other"));
        var options = database.ivrMenuOptions();
        options.create(IvrMenuOption.of(main.id(), "2", IvrActionType.SUB_MENU, "billing"));
        options.create(new IvrMenuOption(null, main.id(), "1", IvrActionType.TRANSFER_QUEUE, "queue-sales@default",
                new ObjectMapper().readTree("{\"announce\": true}"), null, null));
        options.create(IvrMenuOption.of(billing.id(), "0", IvrActionType.SUB_MENU, "main"));
        options.create(IvrMenuOption.of(foreign.id(), "9", IvrActionType.HANGUP, "NORMAL_CLEARING"));

        IvrDefinition definition = ivrs.load("sales").orElseThrow();
        assertThat(definition.ivr()).isEqualTo(ivrs.get("sales"));
        assertThat(definition.menus()).extracting(IvrMenu::menuId).containsExactly("billing", "main", "zz-empty");
        assertThat(definition.options()).containsOnlyKeys(main.id(), billing.id(), empty.id());
        assertThat(definition.optionsOf(main)).extracting(IvrMenuOption::digit).containsExactly("1", "2");
        assertThat(definition.optionsOf(main).get(0).actionConfig().get("announce").asBoolean()).isTrue();
        assertThat(definition.optionsOf(billing)).extracting(IvrMenuOption::actionTarget).containsExactly("main");
        assertThat(definition.optionsOf(empty)).isEmpty();
        assertThat(definition.optionsOf(main)).isEqualTo(options.list(main.id()));

        assertThat(ivrs.load("nobody")).isEmpty();
        assertThat(ivrs.load("not a name")).isEmpty();
        assertThat(ivrs.load("other").orElseThrow().menus()).hasSize(1);
    }

    private static Ivr ivr(String name, String language, String voice, String model, String pod) {
        return new Ivr(name, null, null, language, voice, model, null, pod, null, null, null);
    }
}

package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtensionDao extensions;

    @BeforeEach
    void clean() throws SQLException {
        extensions = Database.create(db.dataSource()).extensions();
        sql("DELETE FROM extensions");
    }

    @Test
    void createsAndReadsBackEveryFieldIncludingJsonb() throws Exception {
        JsonNode forwarding = JSON.readTree("{\"enabled\": true, \"destination\": \"1002\", \"nested\": {\"a\": [1, 2.5, null]}}");
        JsonNode voicemail = JSON.readTree("{\"enabled\": true, \"email_notify\": true}");
        Extension created = extensions.create(new Extension("1001", "Winnipeg2025", "John Doe", "john@example.com",
                "Sales", ExtensionStatus.ACTIVE, forwarding, voicemail, null, null, null));

        assertThat(created.createdAt()).isNotNull();
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        Extension read = extensions.get("1001");
        assertThat(read).isEqualTo(created);
        assertThat(read.callForwarding()).isEqualTo(forwarding);
        assertThat(read.voicemail().get("email_notify").asBoolean()).isTrue();
        assertThat(read.features()).isNull();
    }

    @Test
    void toStringNeverShowsThePassword() {
        Extension e = extensions.create(Extension.of("1001", "TopSecret99"));
        assertThat(e.toString()).doesNotContain("TopSecret99").contains("****");
    }

    @Test
    void refusesADuplicateNumberWithATypedExceptionAndKeepsTheFirst() throws SQLException {
        extensions.create(Extension.of("1001", "first"));
        assertThatThrownBy(() -> extensions.create(Extension.of("1001", "second")))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("1001");
        assertThat(extensions.get("1001").password()).isEqualTo("first");
        assertThat(count("SELECT count(*) FROM extensions")).isEqualTo(1);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        assertInvalid(Extension.of("10 01", "pw"), "number");
        assertInvalid(Extension.of("", "pw"), "number");
        assertInvalid(Extension.of("123456789012345678901", "pw"), "number");
        assertInvalid(Extension.of("1001", "   "), "password");
        assertInvalid(Extension.of("1001", "pw\u0000x"), "password");
        assertInvalid(new Extension("1001", "pw", "bad\nname", null, null, null, null, null, null, null, null),
                "display_name");
        assertInvalid(new Extension("1001", "pw", null, "no-at-sign", null, null, null, null, null, null, null), "email");
        assertInvalid(new Extension("1001", "pw", null, null, null, null, JSON.valueToTree(List.of(1)), null, null,
                null, null), "call_forwarding_json");
        assertInvalid(new Extension("1001", "pw", "x".repeat(256), null, null, null, null, null, null, null, null),
                "display_name");
        assertInvalid(new Extension("1001", "pw", "${system(rm -rf /)}", null, null, null, null, null, null, null, null),
                "display_name");
        assertInvalid(new Extension("1001", "pw", null, null, "${api(reloadxml)}", null, null, null, null, null, null),
                "department");
        assertThat(count("SELECT count(*) FROM extensions")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() {
        // a writer other than the DAO (psql, a script) meets the same rules, named by column
        assertCheck("INSERT INTO extensions (number, password) VALUES ('bad number', 'x')", "extensions_number_check");
        assertCheck("INSERT INTO extensions (number, password) VALUES ('1001', '  ')", "extensions_password_check");
        assertCheck("INSERT INTO extensions (number, password, status) VALUES ('1001', 'x', 'deleted')",
                "extensions_status_check");
        assertCheck("INSERT INTO extensions (number, password, display_name) VALUES ('1001', 'x', 'a${system(id)}')",
                "extensions_display_name_check");
        assertCheck("INSERT INTO extensions (number, password, department) VALUES ('1001', 'x', '${x}')",
                "extensions_department_check");
        assertCheck("INSERT INTO extensions (number, password, voicemail_json) VALUES ('1001', 'x', '[1]')",
                "extensions_voicemail_json_check");
        assertCheck("INSERT INTO extensions (number, password, features_json) VALUES ('1001', 'x', '\"s\"')",
                "extensions_features_json_check");
        assertCheck("INSERT INTO extensions (number, password, call_forwarding_json) VALUES ('1001', 'x', '1')",
                "extensions_call_forwarding_json_check");
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = Database.create(db.dataSource()).jdbi();
        assertThatThrownBy(() -> io.ominis.db.internal.SqlErrors.guard(() -> jdbi.withHandle(h ->
                h.execute("INSERT INTO extensions (number, password, status) VALUES ('1001', 'x', 'deleted')"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("status"));
    }

    @Test
    void updateReplacesFieldsAndTheTriggerAdvancesUpdatedAt() throws Exception {
        Extension created = extensions.create(Extension.of("1001", "pw1"));
        Thread.sleep(5);
        Extension changed = extensions.update(new Extension("1001", "pw2", "Jane", "jane@example.com", "Support",
                ExtensionStatus.SUSPENDED, null, null, JSON.readTree("{\"dnd\": true}"), null, null));
        assertThat(changed.password()).isEqualTo("pw2");
        assertThat(changed.status()).isEqualTo(ExtensionStatus.SUSPENDED);
        assertThat(changed.features().get("dnd").asBoolean()).isTrue();
        assertThat(changed.createdAt()).isEqualTo(created.createdAt());
        assertThat(changed.updatedAt()).isAfter(created.updatedAt());
    }

    @Test
    void theUpdatedAtTriggerFiresForPlainSqlToo() throws Exception {
        Extension created = extensions.create(Extension.of("1001", "pw1"));
        Thread.sleep(5);
        sql("UPDATE extensions SET display_name = 'via psql' WHERE number = '1001'");
        assertThat(extensions.get("1001").updatedAt()).isAfter(created.updatedAt());
    }

    @Test
    void updateOfAMissingExtensionIsNotFound() {
        assertThatThrownBy(() -> extensions.update(Extension.of("404", "pw")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> extensions.get("404")).isInstanceOf(NotFoundException.class);
        assertThat(extensions.find("404")).isEmpty();
        assertThat(extensions.find("not a number")).isEmpty();
    }

    @Test
    void changesThePassword() {
        extensions.create(Extension.of("1001", "old"));
        assertThat(extensions.changePassword("1001", "new-Secret").password()).isEqualTo("new-Secret");
        assertThat(extensions.get("1001").password()).isEqualTo("new-Secret");
        assertThatThrownBy(() -> extensions.changePassword("1001", "")).isInstanceOf(InvalidValueException.class);
        assertThat(extensions.get("1001").password()).isEqualTo("new-Secret");
    }

    @Test
    void deletes() {
        extensions.create(Extension.of("1001", "pw"));
        assertThat(extensions.delete("1001")).isTrue();
        assertThat(extensions.delete("1001")).isFalse();
        assertThat(extensions.find("1001")).isEmpty();
    }

    @Test
    void createAllIsAllOrNothingAndReportsEveryBadRow() throws SQLException {
        extensions.create(Extension.of("2000", "taken"));
        List<Extension> batch = List.of(
                Extension.of("2001", "ok"),
                Extension.of("bad number", "ok"),
                Extension.of("2001", "dup"),
                Extension.of("2000", "exists"),
                Extension.of("2004", ""));
        assertThatThrownBy(() -> extensions.createAll(batch))
                .isInstanceOfSatisfying(RejectedRowsException.class, e -> assertThat(e.errors())
                        .extracting(RejectedRowsException.RowError::index, RejectedRowsException.RowError::field)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(1, "number"),
                                org.assertj.core.groups.Tuple.tuple(2, "number"),
                                org.assertj.core.groups.Tuple.tuple(3, "number"),
                                org.assertj.core.groups.Tuple.tuple(4, "password")));
        assertThat(count("SELECT count(*) FROM extensions")).isEqualTo(1);

        List<Extension> stored = extensions.createAll(List.of(Extension.of("2001", "a"), Extension.of("2002", "b")));
        assertThat(stored).extracting(Extension::number).containsExactly("2001", "2002");
        assertThat(count("SELECT count(*) FROM extensions")).isEqualTo(3);
    }

    @Test
    void listsWithFiltersAndKeysetPages() {
        for (int i = 0; i < 25; i++) {
            String n = String.valueOf(3000 + i);
            extensions.create(new Extension(n, "pw", "User " + n, "u" + n + "@example.com", i % 2 == 0 ? "Sales" : "Support",
                    i % 5 == 0 ? ExtensionStatus.INACTIVE : ExtensionStatus.ACTIVE, null, null, null, null, null));
        }
        Page<Extension, String> first = extensions.list(ExtensionDao.Query.first(10));
        assertThat(first.items()).hasSize(10);
        assertThat(first.next()).isEqualTo("3009");
        Page<Extension, String> second = extensions.list(new ExtensionDao.Query(null, null, null, first.next(), 10));
        assertThat(second.items().get(0).number()).isEqualTo("3010");
        Page<Extension, String> last = extensions.list(new ExtensionDao.Query(null, null, null, "3019", 10));
        assertThat(last.items()).hasSize(5);
        assertThat(last.hasNext()).isFalse();

        assertThat(extensions.list(new ExtensionDao.Query(ExtensionStatus.INACTIVE, null, null, null, 100)).items())
                .extracting(Extension::number).containsExactly("3000", "3005", "3010", "3015", "3020");
        assertThat(extensions.list(new ExtensionDao.Query(null, "Support", null, null, 100)).items()).hasSize(12);
        assertThat(extensions.list(new ExtensionDao.Query(null, null, "USER 301", null, 100)).items()).hasSize(10);
        // LIKE wildcards in the search text are literal
        assertThat(extensions.list(new ExtensionDao.Query(null, null, "%", null, 100)).items()).isEmpty();
        assertThat(extensions.count(null)).isEqualTo(25);
        assertThat(extensions.count(ExtensionStatus.ACTIVE)).isEqualTo(20);
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> ExtensionDao.Query.first(0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> ExtensionDao.Query.first(ExtensionDao.MAX_LIMIT + 1))
                .isInstanceOf(InvalidValueException.class);
    }

    private void assertInvalid(Extension e, String field) {
        assertThatThrownBy(() -> extensions.create(e))
                .isInstanceOfSatisfying(InvalidValueException.class, ex -> assertThat(ex.field()).isEqualTo(field));
    }

    private void assertCheck(String insert, String constraint) {
        assertThatThrownBy(() -> sql(insert)).isInstanceOf(SQLException.class).hasMessageContaining(constraint);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

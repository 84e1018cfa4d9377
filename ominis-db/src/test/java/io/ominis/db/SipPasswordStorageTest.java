package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.directory.A1Hash;
import io.ominis.core.directory.Domain;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.core.directory.SipUser;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The a1-hash password storage against PostgreSQL: what is kept on each write, what the directory reads, the
 * migration of stored passwords, bad input, and concurrent writers.
 */
class SipPasswordStorageTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private Database database;
    private ExtensionDao hashing;
    private ExtensionDao plain;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        plain = database.extensions();
        hashing = plain.storing(SipPasswordStorage.A1_HASH);
        sql("DELETE FROM extensions", "DELETE FROM domains");
        database.domains().create(Domain.of("a.example"));
        database.domains().create(Domain.of("b.example"));
    }

    @Test
    void aCsvImportInA1HashModeKeepsNoPasswordInAnyConflictMode() throws SQLException {
        io.ominis.core.directory.ExtensionCsv csv = new io.ominis.core.directory.ExtensionCsv(
                new io.ominis.core.directory.ExtensionIntake(io.ominis.core.directory.PasswordPolicy.DEFAULT),
                new com.fasterxml.jackson.databind.ObjectMapper());
        String text = "number,password,display_name\n1101,Import-1101-pass,Ann\n1102,Import-1102-pass,Bob\n";
        for (io.ominis.core.directory.ConflictMode mode : io.ominis.core.directory.ConflictMode.values()) {
            sql("DELETE FROM extensions");
            var report = hashing.importRows(csv.rows(new java.io.StringReader(text)), mode, 1, n -> { }, r -> { });
            assertThat(report.created()).as(mode.wire()).isEqualTo(2);
            assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("0");
            assertThat(column("SELECT realm || '=' || a1_hash FROM extension_a1_hashes WHERE number = '1102'"
                    + " ORDER BY 1")).containsExactly("a.example=" + A1Hash.of("1102", "a.example", "Import-1102-pass"),
                            "b.example=" + A1Hash.of("1102", "b.example", "Import-1102-pass"));
        }
        // an update import replaces the hashes with those of the new password
        var report = hashing.importRows(csv.rows(new java.io.StringReader(
                "number,password\n1102,Newer-1102-pass\n")), io.ominis.core.directory.ConflictMode.UPDATE, 10,
                n -> { }, r -> { });
        assertThat(report.updated()).isEqualTo(1);
        assertThat(column("SELECT a1_hash FROM extension_a1_hashes WHERE number = '1102' AND realm = 'a.example'"))
                .containsExactly(A1Hash.of("1102", "a.example", "Newer-1102-pass"));
    }

    @Test
    void aPasswordWrittenInA1HashModeIsKeptOnlyAsOneHashPerServedDomain() throws SQLException {
        Extension stored = hashing.create(Extension.of("1001", "Secret-1001-pass"));
        assertThat(stored.password()).isNull();
        assertThat(column("SELECT password FROM extensions WHERE number = '1001'")).containsExactly((String) null);
        assertThat(column("SELECT realm || '=' || a1_hash FROM extension_a1_hashes WHERE number = '1001' ORDER BY 1"))
                .containsExactly("a.example=" + A1Hash.of("1001", "a.example", "Secret-1001-pass"),
                        "b.example=" + A1Hash.of("1001", "b.example", "Secret-1001-pass"));
        assertThat(A1Hash.of("1001", "a.example", "Secret-1001-pass"))
                .as("RFC 2617 A1 as md5sum computes it").isEqualTo(md5sql("1001:a.example:Secret-1001-pass"));
        SipUser user = hashing.findSipUser("1001").orElseThrow();
        assertThat(user.a1HashFor("A.Example")).isEqualTo(A1Hash.of("1001", "a.example", "Secret-1001-pass"));
        assertThat(user.extension().password()).isNull();
    }

    @Test
    void writesWithoutAPasswordKeepTheHashesAndANewPasswordReplacesThem() throws SQLException {
        hashing.create(Extension.of("1002", "Secret-1002-pass"));
        hashing.modify("1002", e -> new Extension(e.number(), null, "Renamed", null, null, e.status(), null, null,
                null, null, null));
        assertThat(hashing.findSipUser("1002").orElseThrow().a1HashFor("a.example"))
                .isEqualTo(A1Hash.of("1002", "a.example", "Secret-1002-pass"));
        assertThat(hashing.get("1002").displayName()).isEqualTo("Renamed");

        hashing.update(hashing.get("1002").withPassword("Second-1002-pass"));
        assertThat(hashing.findSipUser("1002").orElseThrow().a1Hashes()).containsOnly(
                Map.entry("a.example", A1Hash.of("1002", "a.example", "Second-1002-pass")),
                Map.entry("b.example", A1Hash.of("1002", "b.example", "Second-1002-pass")));

        // back to plain storage: the password is stored and the hashes of the old one are gone
        plain.update(plain.get("1002").withPassword("Third-1002-pass"));
        assertThat(plain.get("1002").password()).isEqualTo("Third-1002-pass");
        assertThat(column("SELECT count(*) FROM extension_a1_hashes WHERE number = '1002'")).containsExactly("0");
    }

    @Test
    void withoutAServedDomainAnA1HashWriteIsRefusedAndLeavesNothing() throws SQLException {
        sql("DELETE FROM domains");
        assertThatThrownBy(() -> hashing.create(Extension.of("1003", "Secret-1003-pass")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("no domain is served");
        assertThatThrownBy(() -> hashing.createAll(List.of(Extension.of("1004", "Secret-1004-pass"))))
                .isInstanceOf(ConflictException.class);
        assertThat(column("SELECT count(*) FROM extensions")).containsExactly("0");
        plain.create(Extension.of("1005", "Secret-1005-pass"));
        assertThatThrownBy(() -> hashing.update(plain.get("1005").withPassword("Other-1005-pass")))
                .isInstanceOf(ConflictException.class);
        assertThat(plain.get("1005").password()).as("rolled back").isEqualTo("Secret-1005-pass");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() throws SQLException {
        assertThatThrownBy(() -> hashing.create(Extension.of("1006", null)))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("password"));
        assertThatThrownBy(() -> hashing.create(Extension.of("1006", "has ${var} in it")))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("password"));
        assertThatThrownBy(() -> hashing.createAll(List.of(Extension.of("1007", "Secret-1007-pass"),
                Extension.of("1008", null)))).isInstanceOf(RejectedRowsException.class);
        assertThat(column("SELECT count(*) FROM extensions")).containsExactly("0");
        plain.create(Extension.of("1009", "Secret-1009-pass"));
        // the schema keeps hashes honest whoever writes them
        assertThatThrownBy(() -> sql("INSERT INTO extension_a1_hashes VALUES ('1009', 'a.example', "
                + "'NOT-A-HASH-NOT-A-HASH-NOT-A-HASH')")).hasMessageContaining("extension_a1_hashes_a1_hash_check");
        assertThatThrownBy(() -> sql("INSERT INTO extension_a1_hashes VALUES ('1009', 'c.example', '"
                + "0".repeat(32) + "')")).hasMessageContaining("extension_a1_hashes_realm_fkey");
        hashing.update(plain.get("1009").withPassword("Other-1009-pass"));
        assertThatThrownBy(() -> sql("UPDATE domains SET name = 'c.example' WHERE name = 'a.example'"))
                .as("a hash cannot follow a renamed realm").hasMessageContaining("extension_a1_hashes_realm_fkey");
        assertThat(database.domains().delete("a.example")).isTrue();
        assertThat(hashing.findSipUser("1009").orElseThrow().a1Hashes()).containsOnlyKeys("b.example");
        assertThat(database.domains().extensionsWithoutHash("b.example")).isZero();
    }

    @Test
    void hashingStoredPasswordsConvertsEveryRowOnceAndADryRunChangesNothing() throws SQLException {
        plain.createAll(List.of(Extension.of("2001", "Secret-2001-pass"), Extension.of("2002", "Secret-2002-pass")));
        hashing.create(Extension.of("2003", "Secret-2003-pass"));

        ExtensionDao.PasswordHashing dry = plain.hashStoredPasswords(true);
        assertThat(dry.numbers()).containsExactly("2001", "2002");
        assertThat(dry.realms()).containsExactly("a.example", "b.example");
        assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("2");

        ExtensionDao.PasswordHashing done = plain.hashStoredPasswords(false);
        assertThat(done.numbers()).containsExactly("2001", "2002");
        assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("0");
        assertThat(plain.findSipUser("2002").orElseThrow().a1HashFor("b.example"))
                .isEqualTo(A1Hash.of("2002", "b.example", "Secret-2002-pass"));
        assertThat(plain.findSipUser("2003").orElseThrow().a1HashFor("a.example"))
                .as("a row already hashed is left alone").isEqualTo(A1Hash.of("2003", "a.example", "Secret-2003-pass"));
        assertThat(plain.hashStoredPasswords(false).numbers()).isEmpty();

        // a domain added afterwards has no hashes until passwords are set again
        database.domains().create(Domain.of("c.example"));
        assertThat(database.domains().extensionsWithoutHash("c.example")).isEqualTo(3);

        sql("DELETE FROM domains");
        assertThatThrownBy(() -> plain.hashStoredPasswords(false)).isInstanceOf(ConflictException.class);
    }

    @Test
    void concurrentMigrationsAndPasswordWritersNeverLeaveARowWithBothOrNeither() throws Exception {
        List<Extension> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(Extension.of("3" + String.format("%03d", i), "Secret-3" + i + "-pass"));
        }
        plain.createAll(rows);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<String>>> work = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                work.add(() -> plain.hashStoredPasswords(false).numbers());
            }
            for (int i = 0; i < 60; i += 3) {
                String number = "3" + String.format("%03d", i);
                // a1-hash writers and plain writers racing the migration on the same rows
                work.add(() -> {
                    hashing.update(hashing.get(number).withPassword("Fresh-" + number + "-pass"));
                    return List.of();
                });
            }
            List<String> hashed = new ArrayList<>();
            for (Future<List<String>> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
                hashed.addAll(f.get());
            }
            assertThat(hashed).as("each stored password hashed by exactly one migration").doesNotHaveDuplicates();
            assertThat(column("SELECT count(*) FROM extensions WHERE password IS NOT NULL")).containsExactly("0");
            assertThat(column("SELECT count(*) FROM extensions e WHERE (SELECT count(*) FROM extension_a1_hashes h"
                    + " WHERE h.number = e.number) <> 2")).containsExactly("0");
            for (int i = 0; i < 60; i += 3) {
                String number = "3" + String.format("%03d", i);
                assertThat(plain.findSipUser(number).orElseThrow().a1HashFor("a.example"))
                        .isEqualTo(A1Hash.of(number, "a.example", "Fresh-" + number + "-pass"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static String md5sql(String text) throws SQLException {
        try (Connection c = db.connect(); java.sql.PreparedStatement st = c.prepareStatement("SELECT md5(?)")) {
            st.setString(1, text);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<String> column(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}

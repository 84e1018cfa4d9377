package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import io.ominis.db.internal.SqlErrors;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AclDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);

    /** What a fresh database holds, read before the first {@link #clean()} empties the table. */
    private static List<AclEntry> seeded;

    private AclDao acl;

    @BeforeAll
    static void readTheSeedRowsBeforeAnyTestCleansUp() {
        seeded = Database.create(db.dataSource()).acl().list();
    }

    @BeforeEach
    void clean() throws SQLException {
        acl = Database.create(db.dataSource()).acl();
        sql.run("DELETE FROM acl_entries");
    }

    @Test
    void aFreshDatabaseHoldsTheSpecsThreeSeedRows() {
        assertThat(seeded)
                .extracting(AclEntry::listName, AclEntry::cidr, AclEntry::permission, AclEntry::description)
                .containsExactly(
                        tuple("trusted_users", "10.42.0.0/16", AclPermission.ALLOW, "Kubernetes pod network"),
                        tuple("trusted_users", "10.43.0.0/16", AclPermission.ALLOW, "Kubernetes service network"),
                        tuple("trusted_users", "127.0.0.1/32", AclPermission.ALLOW, "Localhost"));
    }

    @Test
    void createsWithACanonicalCidrAndReadsBackEveryField() {
        AclEntry created = acl.create(new AclEntry(null, "office", "192.168.1.7", AclPermission.DENY, "printer",
                null, null));
        assertThat(created.id()).isNotNull();
        assertThat(created.cidr()).isEqualTo("192.168.1.7/32");
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());
        assertThat(acl.get(created.id())).isEqualTo(created);
        assertThat(acl.find(created.id() + 1000)).isEmpty();
        assertThatThrownBy(() -> acl.get(created.id() + 1000)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void storesIpv6InRfc5952Form() {
        assertThat(acl.create(AclEntry.allow("v6", "2001:DB8:0:0::/32")).cidr()).isEqualTo("2001:db8::/32");
        assertThat(acl.create(AclEntry.allow("v6", "::ffff:10.0.0.1")).cidr()).isEqualTo("::ffff:a00:1/128");
    }

    @Test
    void defaultsToAllowInTrustedUsers() {
        AclEntry e = acl.create(new AclEntry(null, null, "10.9.0.0/16", null, null, null, null));
        assertThat(e.listName()).isEqualTo("trusted_users");
        assertThat(e.permission()).isEqualTo(AclPermission.ALLOW);
    }

    @Test
    void aHostAndItsSlash32AreTheSameEntryOfAList() throws SQLException {
        acl.create(AclEntry.allow("office", "10.0.0.1"));
        assertThatThrownBy(() -> acl.create(AclEntry.allow("office", "10.0.0.1/32")))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("10.0.0.1/32");
        acl.create(AclEntry.allow("office", "2001:db8::1"));
        assertThatThrownBy(() -> acl.create(AclEntry.allow("office", "2001:0DB8:0:0:0:0:0:1/128")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(sql.number("SELECT count(*) FROM acl_entries")).isEqualTo(2);
        // another list may hold the same network
        acl.create(AclEntry.allow("lab", "10.0.0.1/32"));
        assertThat(sql.number("SELECT count(*) FROM acl_entries")).isEqualTo(3);
    }

    @Test
    void refusesBadValuesBeforeWritingAnything() throws SQLException {
        assertInvalid(() -> acl.create(AclEntry.allow("bad name", "10.0.0.0/8")), "list_name");
        assertInvalid(() -> acl.create(AclEntry.allow("", "10.0.0.0/8")), "list_name");
        assertInvalid(() -> acl.create(AclEntry.allow("x".repeat(65), "10.0.0.0/8")), "list_name");
        assertInvalid(() -> acl.create(AclEntry.allow("office", "10.0.0.1/8")), "cidr");
        assertInvalid(() -> acl.create(AclEntry.allow("office", "not-a-network")), "cidr");
        assertInvalid(() -> acl.create(AclEntry.allow("office", null)), "cidr");
        assertInvalid(() -> acl.create(new AclEntry(null, "office", "10.0.0.0/8", null, "a\u0000b", null, null)),
                "description");
        assertThat(sql.number("SELECT count(*) FROM acl_entries")).isZero();
    }

    @Test
    void theDatabaseItselfRefusesWhatOurValidationRefuses() throws SQLException {
        sql.assertRefused("INSERT INTO acl_entries (list_name, cidr) VALUES ('bad name', '10.0.0.0/8')",
                "acl_entries_list_name_check");
        sql.assertRefused("INSERT INTO acl_entries (cidr) VALUES ('not-a-network')", "acl_entries_cidr_check");
        sql.assertRefused("INSERT INTO acl_entries (cidr) VALUES ('10.0.0.1/8')", "acl_entries_cidr_check");
        sql.assertRefused("INSERT INTO acl_entries (cidr, permission) VALUES ('10.0.0.0/8', 'maybe')",
                "acl_entries_permission_check");
        sql.run("INSERT INTO acl_entries (list_name, cidr) VALUES ('office', '10.0.0.0/8')");
        sql.assertRefused("INSERT INTO acl_entries (list_name, cidr) VALUES ('office', '10.0.0.0/8')",
                "acl_entries_list_name_cidr_key");
        assertThat(sql.number("SELECT count(*) FROM acl_entries")).isEqualTo(1);
    }

    @Test
    void constraintViolationsThatSlipPastValidationStillArriveTyped() {
        var jdbi = Database.create(db.dataSource()).jdbi();
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO acl_entries (cidr, permission) VALUES ('10.0.0.0/8', 'maybe')"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("permission"));
        assertThatThrownBy(() -> SqlErrors.guard(() -> jdbi.withHandle(h -> h.execute(
                "INSERT INTO acl_entries (cidr) VALUES ('nope')"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("cidr"));
    }

    @Test
    void updateReplacesFieldsAndAdvancesUpdatedAt() throws Exception {
        AclEntry created = acl.create(AclEntry.allow("office", "10.1.0.0/16"));
        Thread.sleep(5);
        AclEntry changed = acl.update(new AclEntry(created.id(), "lab", "10.2.0.1", AclPermission.DENY, "moved",
                null, null));
        assertThat(changed.listName()).isEqualTo("lab");
        assertThat(changed.cidr()).isEqualTo("10.2.0.1/32");
        assertThat(changed.permission()).isEqualTo(AclPermission.DENY);
        assertThat(changed.description()).isEqualTo("moved");
        assertThat(changed.createdAt()).isEqualTo(created.createdAt());
        assertThat(changed.updatedAt()).isAfter(created.updatedAt());
        assertThat(acl.get(created.id())).isEqualTo(changed);
    }

    @Test
    void updateRefusesDuplicatesMissingRowsAndBadValuesLeavingTheRowAlone() {
        AclEntry a = acl.create(AclEntry.allow("office", "10.1.0.0/16"));
        acl.create(AclEntry.allow("office", "10.2.0.0/16"));
        assertThatThrownBy(() -> acl.update(new AclEntry(a.id(), "office", "10.2.0.0/16", null, null, null, null)))
                .isInstanceOf(AlreadyExistsException.class);
        assertInvalid(() -> acl.update(new AclEntry(a.id(), "office", "10.2.0.1/16", null, null, null, null)), "cidr");
        assertThat(acl.get(a.id())).isEqualTo(a);
        assertThatThrownBy(() -> acl.update(new AclEntry(a.id() + 1000, "office", "10.3.0.0/16", null, null, null,
                null))).isInstanceOf(NotFoundException.class);
        assertInvalid(() -> acl.update(AclEntry.allow("office", "10.3.0.0/16")), "id");
    }

    @Test
    void theUpdatedAtTriggerFiresForPlainSqlToo() throws Exception {
        AclEntry created = acl.create(AclEntry.allow("office", "10.1.0.0/16"));
        Thread.sleep(5);
        sql.run("UPDATE acl_entries SET description = 'via psql' WHERE id = " + created.id());
        assertThat(acl.get(created.id()).updatedAt()).isAfter(created.updatedAt());
    }

    @Test
    void deletes() {
        AclEntry e = acl.create(AclEntry.allow("office", "10.1.0.0/16"));
        assertThat(acl.delete(e.id())).isTrue();
        assertThat(acl.delete(e.id())).isFalse();
        assertThat(acl.find(e.id())).isEmpty();
    }

    @Test
    void listsByListNameThenInsertionOrder() {
        acl.create(AclEntry.allow("office", "10.3.0.0/16"));
        acl.create(AclEntry.allow("lab", "10.9.0.0/16"));
        acl.create(AclEntry.allow("office", "10.1.0.0/16"));
        acl.create(new AclEntry(null, "lab", "::/0", AclPermission.DENY, null, null, null));

        assertThat(acl.list()).extracting(AclEntry::listName, AclEntry::cidr).containsExactly(
                tuple("lab", "10.9.0.0/16"),
                tuple("lab", "::/0"),
                tuple("office", "10.3.0.0/16"),
                tuple("office", "10.1.0.0/16"));
        assertThat(acl.list("office")).extracting(AclEntry::cidr).containsExactly("10.3.0.0/16", "10.1.0.0/16");
        assertThat(acl.list("nobody")).isEmpty();
        assertThat(acl.listNames()).containsExactly("lab", "office");
    }
}

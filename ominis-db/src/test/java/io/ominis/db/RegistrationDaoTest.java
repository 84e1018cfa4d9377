package io.ominis.db;

import static io.ominis.db.FreeSwitch.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.switchstate.Registration;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegistrationDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Instant NOW = Instant.ofEpochSecond(1700000000L);

    private RegistrationDao registrations;

    @BeforeEach
    void setUp() throws SQLException {
        registrations = Database.create(db.dataSource()).registrations();
        FreeSwitch.run(db, "DELETE FROM registrations",
                registration("1001", "pbx.example.com", "call-id-1", "sofia/internal/sip:1001@10.0.0.5:5060",
                        1700000600L, "10.0.0.5", "5060", "udp", "fs1", null),
                registration("1001", "pbx.example.com", "call-id-2", "sofia/internal/sip:1001@10.0.0.6:5060",
                        1700000900L, "10.0.0.6", "5060", "tcp", "fs2", "ua=desk"),
                registration("1002", "pbx.example.com", "call-id-3", "sofia/internal/sips:1002@10.0.0.7:5061",
                        1699999000L, "10.0.0.7", "5061", "tls", "fs1", null),
                registration("2001", "other.example.com", "call-id-4", "sofia/internal/sip:2001@10.0.0.8:5060",
                        1700000300L, "10.0.0.8", "5060", "udp", "fs1", null));
    }

    @Test
    void readsEveryColumnAsModSofiaWritesIt() {
        Registration r = registrations.find("1001", "pbx.example.com").get(1);
        assertThat(r).isEqualTo(new Registration("1001", "pbx.example.com", "call-id-1",
                "sofia/internal/sip:1001@10.0.0.5:5060", 1700000600, "10.0.0.5", "5060", "udp", "fs1", null));
        assertThat(registrations.find("1001", "pbx.example.com").get(0).metadata()).isEqualTo("ua=desk");
    }

    @Test
    void findsEveryContactOfAUserLatestExpiryFirst() {
        assertThat(registrations.find("1001", "pbx.example.com")).extracting(Registration::hostname)
                .containsExactly("fs2", "fs1");
        assertThat(registrations.find("1001", "other.example.com")).isEmpty();
    }

    @Test
    void listsWithFilters() {
        // by user, realm, switch and token: the listing's keyset, which a re-REGISTER (new expires) does not move
        assertThat(registrations.list(RegistrationDao.Query.first(10))).extracting(Registration::token)
                .containsExactly("call-id-1", "call-id-2", "call-id-3", "call-id-4");
        assertThat(registrations.list(RegistrationDao.Query.first(1))).hasSize(1);
        assertThat(registrations.list(new RegistrationDao.Query(null, "pbx.example.com", "fs1", 10)))
                .extracting(Registration::regUser).containsExactly("1001", "1002");
        assertThat(registrations.list(new RegistrationDao.Query("2001", null, null, 10))).singleElement()
                .extracting(Registration::realm).isEqualTo("other.example.com");
    }

    @Test
    void expiredRowsAreListedAndRecognisable() {
        List<Registration> all = registrations.list(RegistrationDao.Query.first(10));
        assertThat(all).filteredOn(r -> r.expiredAt(NOW)).extracting(Registration::regUser).containsExactly("1002");
        assertThat(all).filteredOn(r -> !r.expiredAt(NOW)).hasSize(3);
    }

    @Test
    void counts() throws SQLException {
        assertThat(registrations.count()).isEqualTo(4);
        assertThat(registrations.count("fs1")).isEqualTo(3);
        FreeSwitch.run(db, FreeSwitch.expireRegistrations(NOW.getEpochSecond(), "fs1"));
        assertThat(registrations.count()).isEqualTo(3);
        assertThat(registrations.count("fs1")).isEqualTo(2);
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> RegistrationDao.Query.first(0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new RegistrationDao.Query(null, null, null, 1001)).isInstanceOf(InvalidValueException.class);
    }
}

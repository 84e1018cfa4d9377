package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.Registration;
import io.ominis.testing.sip.SipPhone;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIP REGISTER with digest authentication against a real FreeSWITCH whose directory is Ominis (mod_xml_curl): the
 * right password, a wrong one, an unknown user, passwords changed over REST and in SQL, and Ominis going away and
 * coming back while FreeSWITCH keeps running.
 */
class RegistrationTest {

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    static final SwitchFixture sw = SwitchFixture.create(db, RealFreeSwitch.builder()
            // mod_xml_curl logs a failed fetch at ERR; these tests stop Ominis on purpose
            .allowLog("mod_xml_curl\\.c.*(CURL returned error|Received HTTP error)",
                    "Ominis is stopped on purpose in serverStoppedRefusesQuicklyAndRecoversWithoutRestartingFreeSwitch"),
            java.util.Map.of());

    @RegisterExtension
    @Order(2)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(3)
    static final RealFreeSwitch fs = sw.fs;

    final Rest rest = sw.rest();

    private SipPhone phone(String user, String password) {
        return sw.phone(user, password, "RegistrationTest");
    }

    private void createExtension(String number, String password) {
        Rest.Reply r = rest.post("/v1/extensions",
                "{\"number\": \"" + number + "\", \"password\": \"" + password + "\", \"display_name\": \"Test " + number
                        + "\"}");
        assertThat(r.code()).as(r.text()).isEqualTo(201);
    }

    @Test
    void rightPasswordRegistersWrongAndUnknownAreRefused() throws Exception {
        createExtension("1101", "Secret-1101-pass");

        Registration ok = phone("1101", "Secret-1101-pass").register();
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.responses()).containsExactly(401, 200);
        assertThat(phone("1101", "wrong-password-1").register().status()).isEqualTo(403);
        assertThat(phone("1999", "Secret-1999-pass").register().status()).isEqualTo(403);

        String row = awaitRegistration("1101");
        assertThat(row).contains("ominis.test");
        Rest.Reply listed = rest.get("/v1/registrations");
        assertThat(listed.text()).contains("\"reg_user\":\"1101\"");
    }

    @Test
    void aPasswordChangedOverRestOrSqlTakesEffectAtOnce() throws Exception {
        createExtension("1102", "First-1102-pass");
        assertThat(phone("1102", "First-1102-pass").register().status()).isEqualTo(200);

        Rest.Reply changed = rest.patch("/v1/extensions/1102", "{\"password\": \"Second-1102-pass\"}");
        assertThat(changed.code()).as(changed.text()).isEqualTo(200);
        assertThat(phone("1102", "Second-1102-pass").register().status()).isEqualTo(200);
        assertThat(phone("1102", "First-1102-pass").register().status()).isEqualTo(403);

        try (Connection c = db.connect();
             PreparedStatement st = c.prepareStatement("UPDATE extensions SET password = ? WHERE number = ?")) {
            st.setString(1, "Third-1102-pass");
            st.setString(2, "1102");
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        // a change by any writer reaches the directory cache through NOTIFY within moments
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status;
        do {
            status = phone("1102", "Third-1102-pass").register().status();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        assertThat(phone("1102", "Second-1102-pass").register().status()).isEqualTo(403);
    }

    @Test
    void serverStoppedRefusesQuicklyAndRecoversWithoutRestartingFreeSwitch() throws Exception {
        createExtension("1103", "Secret-1103-pass");
        assertThat(phone("1103", "Secret-1103-pass").register().status()).isEqualTo(200);

        ominis.stop();
        try {
            Registration refused = phone("1103", "Secret-1103-pass").register();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.elapsed()).as("FreeSWITCH gave up on the absent server").isLessThan(Duration.ofSeconds(3));
        } finally {
            ominis.start();
        }
        assertThat(phone("1103", "Secret-1103-pass").register().status()).isEqualTo(200);
        assertThat(fs.isRunning()).isTrue();
    }

    private static String awaitRegistration(String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            String row = CallcenterAndAclTest.queryIn(db, "SELECT reg_user || '@' || realm || ' ' || hostname "
                    + "FROM registrations WHERE reg_user = ?", user);
            if (row != null || System.nanoTime() > deadline) {
                assertThat(row).as("registration row of %s", user).isNotNull();
                return row;
            }
            Thread.sleep(100);
        }
    }
}

package io.ominis.server.realswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.A1Hash;
import io.ominis.server.Main;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.Registration;
import io.ominis.testing.sip.SipAccount;
import io.ominis.testing.sip.SipPhone;
import io.ominis.testing.sip.SipPhoneSettings;
import io.ominis.testing.sip.Sipp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Served domains and the a1-hash password storage on a real FreeSWITCH whose directory is Ominis: which realm sofia
 * challenges with (the hash must be computed over it), a user whose password is kept only as hashes registers with
 * the right password and is refused with a wrong one, a stored password migrated by {@code hash-sip-passwords} keeps
 * working, and a REGISTER for a domain Ominis does not serve is refused.
 */
class DomainsAndA1HashOnRealSwitchTest {

    @RegisterExtension
    @Order(1)
    static final OminisDatabase db = OminisDatabase.migrated();

    static final SwitchFixture sw = SwitchFixture.create(db, RealFreeSwitch.builder(),
            Map.of("OMINIS_SIP_PASSWORD_STORAGE", "a1-hash"));

    @RegisterExtension
    @Order(2)
    static final OminisUnderTest ominis = sw.ominis;

    @RegisterExtension
    @Order(3)
    static final RealFreeSwitch fs = sw.fs;

    final Rest rest = sw.rest();

    private static final Pattern CHALLENGE_REALM = Pattern.compile("WWW-Authenticate:\\s*Digest[^\\r\\n]*realm=\"([^\"]+)\"",
            Pattern.CASE_INSENSITIVE);

    private void serveTestDomain() {
        Rest.Reply listed = rest.get("/v1/domains/" + RealFreeSwitch.DOMAIN);
        if (listed.code() == 404) {
            Rest.Reply created = rest.post("/v1/domains", "{\"name\": \"" + RealFreeSwitch.DOMAIN + "\"}");
            assertThat(created.code()).as(created.text()).isEqualTo(201);
        }
    }

    private SipPhone phone(String user, String password, String domain) {
        return new SipPhone(Sipp.locate(), SipPhoneSettings.of(fs.sipPort(), new SipAccount(user, password, domain),
                Path.of("target", "sipp", "DomainsAndA1HashOnRealSwitchTest").toAbsolutePath()));
    }

    @Test
    void aUserKeptOnlyAsA1HashesRegistersWithTheRightPasswordOnly() throws Exception {
        serveTestDomain();
        Rest.Reply created = rest.post("/v1/extensions",
                "{\"number\": \"1201\", \"password\": \"Secret-1201-pass\"}");
        assertThat(created.code()).as(created.text()).isEqualTo(201);
        assertThat(CallcenterAndAclTest.queryIn(db, "SELECT coalesce(password, 'none') FROM extensions "
                + "WHERE number = ?", "1201")).isEqualTo("none");
        assertThat(CallcenterAndAclTest.queryIn(db, "SELECT a1_hash FROM extension_a1_hashes WHERE number = ?",
                "1201")).isEqualTo(A1Hash.of("1201", RealFreeSwitch.DOMAIN, "Secret-1201-pass"));

        Registration ok = phone("1201", "Secret-1201-pass", RealFreeSwitch.DOMAIN).register();
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.responses()).containsExactly(401, 200);
        // the realm sofia challenged with is the one the stored hash covers (challenge-realm auto_from: From's host)
        assertThat(challengeRealm(ok.messageLog())).isEqualTo(RealFreeSwitch.DOMAIN);
        assertThat(phone("1201", "Wrong-1201-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(403);

        // a new password over REST replaces the hashes and the old one stops working
        assertThat(rest.patch("/v1/extensions/1201", "{\"password\": \"Second-1201-pass\"}").code()).isEqualTo(200);
        assertThat(phone("1201", "Second-1201-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(200);
        assertThat(phone("1201", "Secret-1201-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(403);
    }

    @Test
    void aStoredPasswordMigratedByTheCommandKeepsRegistering() throws Exception {
        serveTestDomain();
        try (var c = db.connect(); var st = c.prepareStatement(
                "INSERT INTO extensions (number, password) VALUES ('1202', 'Secret-1202-pass')")) {
            st.executeUpdate();
        }
        assertThat(phone("1202", "Secret-1202-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(200);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"hash-sip-passwords"}, ServerFixture.env(db,
                Map.of("OMINIS_SIP_PASSWORD_STORAGE", "a1-hash")), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1202");
        assertThat(CallcenterAndAclTest.queryIn(db, "SELECT coalesce(password, 'none') FROM extensions "
                + "WHERE number = ?", "1202")).isEqualTo("none");

        // the cache follows the hashes' notifications; the password is gone, the hash carries on
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        int status;
        do {
            status = phone("1202", "Secret-1202-pass", RealFreeSwitch.DOMAIN).register().status();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        assertThat(phone("1202", "Wrong-1202-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(403);
    }

    @Test
    void aRegisterForAnUnservedDomainIsRefused() throws Exception {
        serveTestDomain();
        rest.post("/v1/extensions", "{\"number\": \"1203\", \"password\": \"Secret-1203-pass\"}");
        assertThat(phone("1203", "Secret-1203-pass", RealFreeSwitch.DOMAIN).register().status()).isEqualTo(200);

        Registration refused = phone("1203", "Secret-1203-pass", "unserved.example").register();
        assertThat(refused.status()).as("%s", refused).isEqualTo(403);
        // sofia challenged for the phone's domain, and Ominis refused the realm it does not serve
        assertThat(challengeRealm(refused.messageLog())).isEqualTo("unserved.example");

        // once served (and the password set again, since the hash is per realm) the same phone registers
        assertThat(rest.post("/v1/domains", "{\"name\": \"unserved.example\"}").code()).isEqualTo(201);
        assertThat(rest.patch("/v1/extensions/1203", "{\"password\": \"Second-1203-pass\"}").code()).isEqualTo(200);
        assertThat(phone("1203", "Second-1203-pass", "unserved.example").register().status()).isEqualTo(200);
        assertThat(rest.delete("/v1/domains/unserved.example").code()).isEqualTo(204);
        assertThat(phone("1203", "Second-1203-pass", "unserved.example").register().status()).isEqualTo(403);
    }

    private static String challengeRealm(Path messageLog) throws Exception {
        Matcher m = CHALLENGE_REALM.matcher(Files.readString(messageLog));
        assertThat(m.find()).as("a digest challenge in %s", messageLog).isTrue();
        return m.group(1);
    }
}

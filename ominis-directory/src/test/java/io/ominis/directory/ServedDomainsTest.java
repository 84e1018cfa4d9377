package io.ominis.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.A1Hash;
import io.ominis.core.directory.Domain;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.db.ChangeListener;
import io.ominis.db.Database;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlcurl.XmlCurlRequest;
import io.ominis.xmlcurl.XmlDocument;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Served domains and kept digest hashes as mod_xml_curl sees them: FreeSWITCH's form in, the document out, from a
 * real database, with changes by any writer reaching the service through LISTEN/NOTIFY.
 */
class ServedDomainsTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated();

    private Database db;

    @BeforeEach
    void clean() {
        db = Database.create(pg.dataSource());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM extensions; DELETE FROM domains"));
    }

    /** A sip_auth form for {@code user} whose directory domain is {@code domain} and digest realm {@code realm}. */
    static String sipAuth(String user, String domain, String realm) {
        return "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=" + domain
                + "&Event-Name=REQUEST_PARAMS&action=sip_auth&sip_profile=internal&sip_auth_username=" + user
                + "&sip_auth_realm=" + realm + "&user=" + user + "&domain=" + domain;
    }

    /** A user_call form (bridging to user/…), which carries no realm. */
    static String userCall(String user, String domain) {
        return "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=" + domain
                + "&Event-Name=REQUEST_PARAMS&action=user_call&user=" + user + "&domain=" + domain;
    }

    @Test
    void withoutDomainsEveryDomainIsServedAsBefore() {
        db.extensions().create(Extension.of("1001", "Secret-1001-pass"));
        try (XmlCurlService service = XmlCurlService.builder().database(db).build()) {
            for (String domain : new String[] {"a.example", "anything.example", "10.0.0.5"}) {
                XmlDocument doc = service.answer(sipAuth("1001", domain, domain));
                assertThat(doc.isNotFound()).as(domain).isFalse();
                assertThat(doc.text()).contains("<domain name=\"" + domain + "\"").contains("Secret-1001-pass");
            }
        }
    }

    @Test
    void withOneDomainItIsServedAsBeforeAndOtherDomainsAndRealmsAreNotFound() {
        db.extensions().create(Extension.of("1002", "Secret-1002-pass"));
        String before;
        try (XmlCurlService service = XmlCurlService.builder().database(db).build()) {
            before = service.answer(sipAuth("1002", "a.example", "a.example")).text();
        }
        db.domains().create(Domain.of("a.example"));
        try (XmlCurlService service = XmlCurlService.builder().database(db).build()) {
            assertThat(service.answer(sipAuth("1002", "a.example", "a.example")).text())
                    .as("byte for byte what it was without domains").isEqualTo(before);
            assertThat(service.answer(sipAuth("1002", "A.Example", "a.example")).isNotFound()).isFalse();
            assertThat(service.answer(userCall("1002", "a.example")).isNotFound()).isFalse();
            assertThat(service.answer(sipAuth("1002", "b.example", "b.example")).isNotFound()).isTrue();
            assertThat(service.answer(userCall("1002", "b.example")).isNotFound()).isTrue();
            // a profile with force-register-domain asks for its own domain whatever realm the phone used
            assertThat(service.answer(sipAuth("1002", "a.example", "evil.example")).isNotFound()).isTrue();
        }
    }

    @Test
    void answerAsyncGivesWhatAnswerGivesWithoutEverWaitingForTheDatabase() throws Exception {
        db.extensions().create(Extension.of("1005", "Secret-1005-pass"));
        db.domains().create(Domain.of("a.example"));
        XmlCurlSettings settings = XmlCurlSettings.fromEnvironment(Map.of("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", "300"));
        java.util.concurrent.atomic.AtomicInteger blockingRuns = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor blocking = task -> {
            blockingRuns.incrementAndGet();
            task.run();
        };
        try (XmlCurlService service = XmlCurlService.builder().database(db).settings(settings).build()) {
            String[] forms = {sipAuth("1005", "a.example", "a.example"), sipAuth("1005", "b.example", "b.example"),
                sipAuth("9999", "a.example", "a.example"), userCall("1005", "a.example"), "section=directory",
                "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=acl.conf"};
            for (String form : forms) {
                // first from the database (the domains and the user are not in memory yet), then from memory
                for (int pass = 0; pass < 2; pass++) {
                    XmlDocument async = service.answerAsync(XmlCurlRequest.parse(form), blocking)
                            .get(5, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(async.text()).as("%s, pass %d", form, pass)
                            .isEqualTo(service.answer(XmlCurlRequest.parse(form)).text());
                }
            }
            // only acl.conf is run on the executor given for blocking work; directory users never are
            assertThat(blockingRuns.get()).isEqualTo(2);
            assertThat(service.answerAsync(XmlCurlRequest.parse(forms[0]), blocking).isDone())
                    .as("a cached user is answered at once").isTrue();

            service.flush();
            try (java.sql.Connection locker = pg.connect(); java.sql.Statement st = locker.createStatement()) {
                locker.setAutoCommit(false);
                st.execute("LOCK TABLE domains IN ACCESS EXCLUSIVE MODE");
                long start = System.nanoTime();
                java.util.concurrent.CompletableFuture<XmlDocument> waiting =
                        service.answerAsync(XmlCurlRequest.parse(forms[0]), blocking);
                long returnedAfter = (System.nanoTime() - start) / 1_000_000;
                XmlDocument answer = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
                long answeredAfter = (System.nanoTime() - start) / 1_000_000;
                assertThat(returnedAfter).as("the caller did not wait for the locked table").isLessThan(150);
                assertThat(answer.isNotFound()).isTrue();
                assertThat(answer.text()).doesNotContain("Secret-1005-pass");
                assertThat(answeredAfter).as("answered at the bound").isBetween(280L, 2_000L);
                locker.rollback();
            }
            assertThat(service.answerAsync(XmlCurlRequest.parse(forms[0]), blocking)
                    .get(5, java.util.concurrent.TimeUnit.SECONDS).text()).contains("Secret-1005-pass");
        }
    }

    @Test
    void aDomainChangeByAnyWriterReachesTheServiceThroughNotifications() throws Exception {
        db.extensions().create(Extension.of("1003", "Secret-1003-pass"));
        try (XmlCurlService service = XmlCurlService.builder().database(db).build();
             ChangeListener listener = ChangeListener.start(pg::connect, service::onChange, service::flush)) {
            assertThat(listener.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(service.answer(sipAuth("1003", "b.example", "b.example")).isNotFound()).isFalse();
            // plain SQL, not through Ominis: the trigger tells the listener
            db.jdbi().useHandle(h -> h.execute("INSERT INTO domains (name) VALUES ('a.example')"));
            await(() -> service.answer(sipAuth("1003", "b.example", "b.example")).isNotFound());
            assertThat(service.answer(sipAuth("1003", "a.example", "a.example")).isNotFound()).isFalse();
            db.jdbi().useHandle(h -> h.execute("INSERT INTO domains (name) VALUES ('b.example')"));
            await(() -> !service.answer(sipAuth("1003", "b.example", "b.example")).isNotFound());
            db.jdbi().useHandle(h -> h.execute("TRUNCATE domains CASCADE"));
            await(() -> !service.answer(sipAuth("1003", "c.example", "c.example")).isNotFound());
        }
    }

    @Test
    void aHashedUserIsServedWithTheHashOfTheRealmAndNeverAPassword() throws Exception {
        db.domains().create(Domain.of("a.example"));
        db.domains().create(Domain.of("b.example"));
        db.extensions().storing(SipPasswordStorage.A1_HASH).create(Extension.of("1004", "Secret-1004-pass"));
        XmlCurlSettings a1 = XmlCurlSettings.fromEnvironment(Map.of("OMINIS_SIP_PASSWORD_STORAGE", "a1-hash"));
        try (XmlCurlService service = XmlCurlService.builder().database(db).settings(a1).build();
             ChangeListener listener = ChangeListener.start(pg::connect, service::onChange, service::flush)) {
            assertThat(listener.awaitConnected(Duration.ofSeconds(10))).isTrue();
            String doc = service.answer(sipAuth("1004", "a.example", "b.example")).text();
            assertThat(doc).contains("<param name=\"a1-hash\" value=\""
                    + A1Hash.of("1004", "b.example", "Secret-1004-pass") + "\"/>")
                    .doesNotContain("name=\"password\"").doesNotContain("Secret-1004-pass");

            // a password still stored (not migrated yet) reaches FreeSWITCH only as a hash in this mode
            db.extensions().create(Extension.of("1005", "Secret-1005-pass"));
            assertThat(service.answer(sipAuth("1005", "a.example", "a.example")).text())
                    .contains(A1Hash.of("1005", "a.example", "Secret-1005-pass")).doesNotContain("Secret-1005-pass");

            // a served domain added later has no hash: refused until the password is set again
            db.domains().create(Domain.of("c.example"));
            service.domainsChanged();
            assertThat(service.answer(sipAuth("1004", "c.example", "c.example")).isNotFound()).isTrue();
            db.extensions().storing(SipPasswordStorage.A1_HASH)
                    .update(db.extensions().get("1004").withPassword("Second-1004-pass"));
            await(() -> service.answer(sipAuth("1004", "c.example", "c.example")).text()
                    .contains(A1Hash.of("1004", "c.example", "Second-1004-pass")));

            // deleting a domain deletes its hashes, and the cached user follows through the hashes' notifications
            db.domains().delete("c.example");
            await(() -> service.answer(sipAuth("1004", "c.example", "c.example")).isNotFound());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

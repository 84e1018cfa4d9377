package io.ominis.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.core.directory.Extension;
import io.ominis.db.ChangeListener;
import io.ominis.db.Database;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlcurl.XmlDocument;
import java.time.Duration;
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

/** The service without any HTTP stack: FreeSWITCH's form in, the document out, from a real database. */
class XmlCurlServiceTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated();

    private Database db;

    @BeforeEach
    void clean() {
        db = Database.create(pg.dataSource());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM extensions"));
    }

    static String sipAuth(String user) {
        return "hostname=fs1&section=directory&tag_name=domain&key_name=name&key_value=example.com"
                + "&Event-Name=REQUEST_PARAMS&action=sip_auth&sip_profile=internal&sip_auth_username=" + user
                + "&sip_auth_realm=example.com&user=" + user + "&domain=example.com";
    }

    @Test
    void answersUsersFromTheDatabaseAndDropsCachedOnesOnNotification() {
        db.extensions().create(Extension.of("1001", "Winnipeg-2025a"));
        try (XmlCurlService service = XmlCurlService.builder().database(db).build()) {
            XmlDocument found = service.answer(sipAuth("1001"));
            assertThat(found.isNotFound()).isFalse();
            assertThat(found.text()).contains("<user id=\"1001\"").contains("Winnipeg-2025a");
            assertThat(service.answer(sipAuth("1002")).isNotFound()).isTrue();
            assertThat(service.directory().size()).isEqualTo(2);

            db.extensions().update(db.extensions().get("1001").withPassword("Winnipeg-2025b"));
            // cached until told
            assertThat(service.answer(sipAuth("1001")).text()).contains("Winnipeg-2025a");
            service.onChange(new ChangeListener.Change("extensions", "1001"));
            assertThat(service.answer(sipAuth("1001")).text()).contains("Winnipeg-2025b");
            assertThat(service.answer("not a form at all").isNotFound()).isTrue();
        }
    }

    @Test
    void concurrentLookupsOfOneUserAllGetItsDocument() throws Exception {
        db.extensions().create(Extension.of("1003", "Winnipeg-2025c"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (XmlCurlService service = XmlCurlService.builder().database(db).lookupThreads(2).build()) {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(() -> service.answer(sipAuth("1003")).text());
            }
            for (Future<String> f : pool.invokeAll(calls, 20, TimeUnit.SECONDS)) {
                assertThat(f.get()).contains("<user id=\"1003\"");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void settingsBuiltInCodeAreCheckedLikeTheEnvironment() {
        XmlCurlSettings d = XmlCurlSettings.defaults();
        assertThatThrownBy(() -> new XmlCurlSettings("fs", null, List.of(), d.lookupTimeout(), true, d.cacheSize(), 256, 0,
                "default", d.callcenterOdbcDsn(), List.of(), List.of(), SipPasswordStorage.PLAIN))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_XMLCURL_PASSWORD"));
        assertThatThrownBy(() -> new XmlCurlSettings(null, null, List.of(), Duration.ofMillis(1), true, d.cacheSize(),
                256, 0, "default", d.callcenterOdbcDsn(), List.of(), List.of(), SipPasswordStorage.PLAIN))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.setting()).isEqualTo("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS");
                    assertThat(e.getMessage()).contains("from 50 to 30000");
                });
        assertThatThrownBy(() -> XmlCurlSettings.fromEnvironment(Map.of("OMINIS_USER_CONTEXT", "a b")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_USER_CONTEXT"));
        assertThatThrownBy(() -> new XmlCurlSettings(null, null, List.of(), d.lookupTimeout(), true, d.cacheSize(), 256, 0,
                "default", d.callcenterOdbcDsn(), List.of("not a queue"), List.of(), SipPasswordStorage.PLAIN))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_CALLCENTER_QUEUES"));
        assertThatThrownBy(() -> XmlCurlSettings.fromEnvironment(Map.of("OMINIS_DOMAINS", "ok.example,bad_domain")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_DOMAINS"));
        assertThatThrownBy(() -> XmlCurlSettings.fromEnvironment(Map.of("OMINIS_SIP_PASSWORD_STORAGE", "md5")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_SIP_PASSWORD_STORAGE"));
        XmlCurlSettings set = XmlCurlSettings.fromEnvironment(Map.of("OMINIS_DOMAINS", " PBX.Example.com ,10.0.0.5",
                "OMINIS_SIP_PASSWORD_STORAGE", "A1-Hash"));
        assertThat(set.domains()).containsExactly("pbx.example.com", "10.0.0.5");
        assertThat(set.passwordStorage()).isEqualTo(SipPasswordStorage.A1_HASH);
        assertThat(new XmlCurlAccess(d).check(null, "127.0.0.1")).isEqualTo(XmlCurlAccess.Verdict.ALLOWED);
        assertThat(new XmlCurlAccess(d).check(null, "10.0.0.9")).isEqualTo(XmlCurlAccess.Verdict.SOURCE_NOT_ALLOWED);
    }
}

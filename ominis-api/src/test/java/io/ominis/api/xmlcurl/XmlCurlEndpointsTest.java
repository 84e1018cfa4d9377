package io.ominis.api.xmlcurl;

import static io.ominis.api.ApiCalls.postForm;
import static io.ominis.api.ApiCalls.sipAuth;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.HttpClient;
import io.ominis.api.ContractCheck;
import io.javalin.testtools.Response;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.testing.OminisDatabase;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mod_xml_curl endpoints over HTTP, as GET and as POST with FreeSWITCH's real field sets. */
class XmlCurlEndpointsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    static final String ACL_CONF =
            "hostname=fs-node-1&section=configuration&tag_name=configuration&key_name=name&key_value=acl.conf";

    private OminisServer server;

    @BeforeEach
    void start() throws Exception {
        sql("DELETE FROM extensions");
        sql("INSERT INTO extensions (number, password, display_name, status, call_forwarding_json, voicemail_json) "
                + "VALUES ('1001', 'Winnipeg2025', 'John Doe', 'active', "
                + "'{\"enabled\": true, \"destination\": \"1002\"}', '{\"enabled\": true, \"email_notify\": true}')");
        sql("INSERT INTO extensions (number, password, status) VALUES ('1002', 'pw2', 'inactive')");
        sql("INSERT INTO extensions (number, password, status) VALUES ('1003', 'pw3', 'suspended')");
        server = OminisServer.create(ServerFixture.settings(db, Map.of()), db.dataSource());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheUserDocumentForSipAuthAsPostAndAsGet() {
        ContractCheck.test(server.app(), (srv, client) -> {
            Response post = postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "10.42.0.7"));
            assertThat(post.code()).isEqualTo(200);
            assertThat(post.headers().get("Content-Type").get(0)).startsWith("text/xml");
            String xml = post.body().string();
            assertThat(xml).contains("<section name=\"directory\">")
                    .contains("<domain name=\"10.42.0.7\">")
                    .contains("<user id=\"1001\"")
                    .contains("name=\"password\" value=\"Winnipeg2025\"")
                    .contains("effective_caller_id_name\" value=\"John Doe\"")
                    .contains("call_forward_all\" value=\"1002\"");

            Response get = client.get("/v1/freeswitch/directory?" + sipAuth("1001", "10.42.0.7"));
            assertThat(get.code()).isEqualTo(200);
            assertThat(get.body().string()).isEqualTo(xml);
        });
    }

    @Test
    void answersNotFoundForUnknownInactiveSuspendedAndUnservedRequests() {
        ContractCheck.test(server.app(), (srv, client) -> {
            for (String user : new String[] {"4040", "1002", "1003", "not%20a%20number"}) {
                Response r = postForm(client, "/v1/freeswitch/directory", sipAuth(user, "10.42.0.7"));
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string()).contains("<result status=\"not found\"").doesNotContain("password");
            }
            Response dialplan = postForm(client, "/v1/freeswitch/directory",
                    "hostname=fs1&section=dialplan&tag_name=&key_name=&key_value=");
            assertThat(dialplan.body().string()).contains("not found");
            Response sofia = postForm(client, "/v1/freeswitch/configuration",
                    "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=sofia.conf");
            assertThat(sofia.code()).isEqualTo(200);
            assertThat(sofia.body().string()).contains("not found");
            Response empty = postForm(client, "/v1/freeswitch/directory", "");
            assertThat(empty.code()).isEqualTo(200);
            assertThat(empty.body().string()).contains("not found");
        });
    }

    @Test
    void servesAclConfFromOnlyTheFiveBaseFields() throws Exception {
        sql("INSERT INTO acl_entries (list_name, cidr, permission) VALUES ('voip_providers', '2001:db8::/32', 'allow')");
        ContractCheck.test(server.app(), (srv, client) -> {
            Response r = postForm(client, "/v1/freeswitch/acl", ACL_CONF);
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).contains("<configuration name=\"acl.conf\"")
                    .contains("<list name=\"trusted_users\"").contains("cidr=\"10.42.0.0/16\"")
                    .contains("<list name=\"voip_providers\"").contains("cidr=\"2001:db8::/32\"");
            Response viaConfiguration = client.get("/v1/freeswitch/configuration?" + ACL_CONF);
            assertThat(viaConfiguration.body().string()).isEqualTo(r.body().string());
        });
    }

    @Test
    void servesCallcenterConfWithTheOdbcDsn() throws Exception {
        sql("INSERT INTO tiers (queue, agent, state, level, position) VALUES ('sales@default', 'agent-1', 'Ready', 1, 1)");
        ContractCheck.test(server.app(), (srv, client) -> {
            Response r = postForm(client, "/v1/freeswitch/configuration",
                    "hostname=fs1&section=configuration&tag_name=configuration&key_name=name&key_value=callcenter.conf");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).contains("<configuration name=\"callcenter.conf\"")
                    .contains("name=\"odbc-dsn\"").contains("<queue name=\"sales@default\"");
        });
    }

    @Test
    void seesAChangeMadeWithPlainSqlWithinOneSecond() throws Exception {
        assertThat(server.changeListener().awaitConnected(java.time.Duration.ofSeconds(5))).isTrue();
        ContractCheck.test(server.app(), (srv, client) -> {
            assertThat(postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d")).body().string())
                    .contains("Winnipeg2025");
            assertThat(server.directory().size()).isEqualTo(1);
            sql("UPDATE extensions SET password = 'Rotated-2026' WHERE number = '1001'");
            long start = System.nanoTime();
            String body;
            do {
                body = postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d")).body().string();
            } while (!body.contains("Rotated-2026") && System.nanoTime() - start < 1_000_000_000L);
            assertThat(body).contains("Rotated-2026");

            // negative answers are cached too, and a new user is seen just as fast
            assertThat(postForm(client, "/v1/freeswitch/directory", sipAuth("1009", "d")).body().string())
                    .contains("not found");
            sql("INSERT INTO extensions (number, password) VALUES ('1009', 'brand-new')");
            start = System.nanoTime();
            do {
                body = postForm(client, "/v1/freeswitch/directory", sipAuth("1009", "d")).body().string();
            } while (!body.contains("brand-new") && System.nanoTime() - start < 1_000_000_000L);
            assertThat(body).contains("brand-new");
        });
    }

    @Test
    void flushesTheCacheWhenTheListenerReconnects() throws Exception {
        assertThat(server.changeListener().awaitConnected(java.time.Duration.ofSeconds(5))).isTrue();
        ContractCheck.test(server.app(), (srv, client) -> {
            postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d"));
            assertThat(server.directory().size()).isEqualTo(1);
            long connects = server.changeListener().connects();
            server.changeListener().dropConnection();
            long start = System.nanoTime();
            while (server.changeListener().connects() == connects && System.nanoTime() - start < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(server.changeListener().connects()).isEqualTo(connects + 1);
            assertThat(server.directory().size()).isZero();
        });
    }

    @Test
    void answersOnlyLoopbackWithoutCredentialsAndRequiresThemWhenConfigured() throws Exception {
        try (OminisServer guarded = OminisServer.create(ServerFixture.settings(db,
                Map.of("OMINIS_XMLCURL_USER", "freeswitch", "OMINIS_XMLCURL_PASSWORD", "s3cret:pass")), db.dataSource())) {
            ContractCheck.test(guarded.app(), (srv, client) -> {
                Response none = postForm(client, "/v1/freeswitch/directory", sipAuth("1001", "d"));
                assertThat(none.code()).isEqualTo(401);
                assertThat(none.body().string()).doesNotContain("Winnipeg2025");
                Response wrong = client.request("/v1/freeswitch/directory", b -> b
                        .post(HttpRequest.BodyPublishers.ofString(sipAuth("1001", "d")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", basic("freeswitch", "nope")));
                assertThat(wrong.code()).isEqualTo(401);
                Response right = client.request("/v1/freeswitch/directory", b -> b
                        .post(HttpRequest.BodyPublishers.ofString(sipAuth("1001", "d")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", basic("freeswitch", "s3cret:pass")));
                assertThat(right.code()).isEqualTo(200);
                assertThat(right.body().string()).contains("Winnipeg2025");
            });
        }
        assertThat(server.accessDescription()).contains("loopback");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    static void sql(String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}

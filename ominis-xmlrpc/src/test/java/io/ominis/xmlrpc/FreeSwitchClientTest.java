package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreeSwitchClientTest {

    private static final String PASSWORD = "s3cr3t-works";

    private MockWebServer server;
    private FreeSwitchClient client;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        client = clientFor(server).build();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    static FreeSwitchClient.Builder clientFor(MockWebServer server) {
        return FreeSwitchClient.builder()
                .name("fs1")
                .baseUrl("http://" + server.getHostName() + ":" + server.getPort())
                .user("freeswitch")
                .password(PASSWORD)
                .readTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(10));
    }

    @Test
    void requestIsAFreeswitchApiMethodCallWithTwoStringsAndBasicAuth() throws Exception {
        server.enqueue(FsReplies.string("+OK\n"));

        client.api("callcenter_config", "agent set contact a<b>&c@default x");

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/RPC2");
        assertThat(request.getHeader("Content-Type")).startsWith("text/xml");
        assertThat(request.getHeader("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(("freeswitch:" + PASSWORD).getBytes()));
        String body = request.getBody().readUtf8();
        assertThat(body)
                .contains("<methodName>freeswitch.api</methodName>")
                .contains("<param><value><string>callcenter_config</string></value></param>")
                .contains("<param><value><string>agent set contact a&lt;b>&amp;c@default x</string></value></param>");
        assertThat(body.split("<param>", -1)).hasSize(3);
    }

    @Test
    void stringReplyIsReturnedVerbatim() {
        String status = "UP 0 years, 0 days, 0 hours, 5 minutes, 1 second, 2 milliseconds, 3 microseconds\n"
                + "FreeSWITCH (Version 1.10.12 -release 64bit) is ready\n";
        server.enqueue(FsReplies.string(status));

        assertThat(client.api("status", "")).isEqualTo(status);
    }

    @Test
    void bareValueWithoutStringTagIsAString() {
        server.enqueue(FsReplies.xml("<?xml version=\"1.0\"?><methodResponse><params><param>"
                + "<value>+OK [Success]\n</value></param></params></methodResponse>"));

        assertThat(client.api("reloadxml", "")).isEqualTo("+OK [Success]\n");
    }

    @Test
    void errReplyBecomesErrorExceptionWithTextAndFullReply() {
        server.enqueue(FsReplies.string("-ERR No such channel!\n"));

        assertThatThrownBy(() -> client.api("uuid_kill", "0b1c"))
                .isInstanceOfSatisfying(FreeSwitchErrorException.class, e -> {
                    assertThat(e.error()).isEqualTo("No such channel!");
                    assertThat(e.reply()).isEqualTo("-ERR No such channel!\n");
                    assertThat(e.command()).isEqualTo("uuid_kill");
                });
    }

    @Test
    void usageReplyBecomesUsageException() {
        server.enqueue(FsReplies.string("-USAGE: callcenter_config <agent|tier|queue> ...\n"));

        assertThatThrownBy(() -> client.api("callcenter_config", ""))
                .isInstanceOfSatisfying(FreeSwitchUsageException.class,
                        e -> assertThat(e.usage()).isEqualTo("callcenter_config <agent|tier|queue> ..."));
    }

    @Test
    void bareErrorBecomesCommandFailed() {
        server.enqueue(FsReplies.string("ERROR!"));

        assertThatThrownBy(() -> client.api("callcenter_config", "queue list"))
                .isInstanceOf(FreeSwitchCommandFailedException.class)
                .hasMessageContaining("callcenter_config");
    }

    @Test
    void unauthorizedStringBecomesUnauthorizedException() {
        server.enqueue(FsReplies.string("UNAUTHORIZED!"));

        assertThatThrownBy(() -> client.api("originate", "user/1000 &park"))
                .isInstanceOf(FreeSwitchUnauthorizedException.class);
    }

    @Test
    void faultIsReadAsPlainCodeAndText() {
        server.enqueue(FsReplies.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<methodResponse>\r\n<fault>\r\n"
                + "<value><struct>\r\n<member><name>faultCode</name>\r\n<value><i4>-501</i4></value></member>\r\n"
                + "<member><name>faultString</name>\r\n<value><string>Expected 2 parameters</string></value></member>\r\n"
                + "</struct></value>\r\n</fault>\r\n</methodResponse>\r\n"));

        assertThatThrownBy(() -> client.api("status", ""))
                .isInstanceOfSatisfying(XmlRpcFaultException.class, e -> {
                    assertThat(e.faultCode()).isEqualTo(-501);
                    assertThat(e.faultString()).isEqualTo("Expected 2 parameters");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.getRequestCount()).as("faults are not retried").isEqualTo(1);
    }

    @Test
    void http401BecomesAuthenticationExceptionWithoutPassword() {
        server.enqueue(new MockResponse().setResponseCode(401)
                .setHeader("WWW-Authenticate", "Basic realm=\"freeswitch\"").setBody(""));

        assertThatThrownBy(() -> client.api("status", ""))
                .isInstanceOfSatisfying(XmlRpcAuthenticationException.class, e -> {
                    assertThat(e.getMessage()).contains("401").contains("fs1").contains("/RPC2")
                            .doesNotContain(PASSWORD);
                    assertThat(e.node()).contains(server.getHostName());
                });
        assertThat(server.getRequestCount()).as("OkHttp must not answer the challenge again").isEqualTo(1);
    }

    @Test
    void hangingNodeTimesOutWithinTheConfiguredBound() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.api("originate", "user/1000 &park"))
                .isInstanceOfSatisfying(XmlRpcTransportException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("fs1").contains("originate").doesNotContain(PASSWORD);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).as("originate is never retried").isEqualTo(1);
    }

    @Test
    void readsAreRetriedOnTransportFailures() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(FsReplies.string("+OK acl reloaded\n"));

        assertThat(client.api("reloadacl", "")).isEqualTo("+OK acl reloaded\n");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void writesAreNotRetried() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(FsReplies.string("+OK\n"));

        assertThatThrownBy(() -> client.api("callcenter_config", "agent add 1000@default Callback"))
                .isInstanceOf(XmlRpcTransportException.class)
                .hasMessageContaining("503");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void tenMegabyteReplyIsRefusedUnread() {
        Buffer huge = new Buffer();
        huge.writeUtf8("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>");
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (int i = 0; i < 160; i++) {
            huge.write(chunk);
        }
        huge.writeUtf8("</string></value></param></params></methodResponse>");
        // Chunked, so that the client cannot rely on Content-Length and must stop reading by itself.
        server.enqueue(new MockResponse().setChunkedBody(huge, 256 * 1024));

        assertThatThrownBy(() -> client.api("show", "channels as json"))
                .isInstanceOfSatisfying(XmlRpcTransportException.class, e -> {
                    assertThat(e.getMessage()).contains("larger than the limit of 1048576 bytes");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.getRequestCount()).as("oversized replies are not retried").isEqualTo(1);
    }

    @Test
    void declaredOversizedReplyIsRefusedBeforeReading() {
        FreeSwitchClient small = clientFor(server).maxReplyBytes(2048).build();
        server.enqueue(FsReplies.string("x".repeat(4096)));

        assertThatThrownBy(() -> small.api("status", ""))
                .isInstanceOf(XmlRpcTransportException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void doctypeWithExternalEntityIsRefusedAndNeverFetched() throws IOException {
        try (MockWebServer attacker = new MockWebServer()) {
            attacker.start();
            String entityUrl = attacker.url("/secret.dtd").toString();
            server.enqueue(FsReplies.xml("<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse [\n"
                    + "<!ENTITY xxe SYSTEM \"" + entityUrl + "\">\n]>\n"
                    + "<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>"));
            server.enqueue(FsReplies.xml("<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse SYSTEM \"" + entityUrl + "\">\n"
                    + "<methodResponse><params><param><value><string>ok</string></value></param></params></methodResponse>"));

            assertThatThrownBy(() -> client.api("status", ""))
                    .isInstanceOf(XmlRpcTransportException.class)
                    .hasMessageContaining("DOCTYPE");
            assertThatThrownBy(() -> client.api("status", ""))
                    .isInstanceOf(XmlRpcTransportException.class)
                    .hasMessageContaining("DOCTYPE");
            assertThat(attacker.getRequestCount()).isZero();
        }
    }

    @Test
    void malformedXmlIsATransportError() {
        server.enqueue(FsReplies.xml("<methodResponse><params><param><value><string>cut"));
        server.enqueue(FsReplies.xml("<html><body>not xml-rpc</body></html>"));

        assertThatThrownBy(() -> client.api("status", ""))
                .isInstanceOf(XmlRpcTransportException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> client.api("status", ""))
                .isInstanceOf(XmlRpcTransportException.class).hasMessageContaining("methodResponse");
    }

    @Test
    void connectionRefusedNamesTheNode() throws IOException {
        int port = server.getPort();
        server.shutdown();
        FreeSwitchClient down = FreeSwitchClient.builder().name("fs9").baseUrl("http://127.0.0.1:" + port)
                .user("freeswitch").password(PASSWORD).retries(0).build();

        assertThatThrownBy(() -> down.api("status", ""))
                .isInstanceOf(XmlRpcTransportException.class)
                .hasMessageContaining("fs9")
                .hasMessageContaining("http://127.0.0.1:" + port + "/RPC2")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void controlCharactersAreRefusedBeforeSending() {
        assertThatThrownBy(() -> client.api("status", "a\nb")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> client.api("show channels", "")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> client.api("status", "\u0000")).isInstanceOf(InvalidValueException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void passwordNeverAppearsInToString() {
        assertThat(client.toString()).contains("fs1").contains("freeswitch").doesNotContain(PASSWORD);
    }

    @Test
    void builderFailsFast() {
        assertThatThrownBy(() -> FreeSwitchClient.builder().baseUrl("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FreeSwitchClient.builder().baseUrl("http://u:" + PASSWORD + "@host:8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> FreeSwitchClient.builder().baseUrl("http://host:8080/RPC2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FreeSwitchClient.builder().readTimeout(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50 ms");
        assertThatThrownBy(() -> FreeSwitchClient.builder().user("a:b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FreeSwitchClient.builder().baseUrl("http://host:8080").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void perCallTimeoutAllowsSlowCommands() throws Exception {
        server.enqueue(FsReplies.string("+OK 5d1f\n").setBodyDelay(800, TimeUnit.MILLISECONDS));

        assertThat(client.api("originate", "user/1000 &park", Duration.ofSeconds(3))).isEqualTo("+OK 5d1f\n");
    }
}

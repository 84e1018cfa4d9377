package io.ominis.xmlrpc;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A MockWebServer per test with a client bound to it, plus a helper to read back the API command line sent. */
final class MockFreeSwitch implements BeforeEachCallback, AfterEachCallback {

    private static final Pattern STRING = Pattern.compile("<string>(.*?)</string>", Pattern.DOTALL);

    MockWebServer server;
    FreeSwitchClient client;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = new MockWebServer();
        server.start();
        client = FreeSwitchClientTest.clientFor(server).build();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.shutdown();
    }

    /** Answers the next request with {@code text} as FreeSWITCH would. */
    void reply(String text) {
        server.enqueue(FsReplies.string(text));
    }

    /** The next request's command and argument joined by a space, XML entities decoded. */
    String sentCommand() throws InterruptedException {
        RecordedRequest request = server.takeRequest();
        Matcher m = STRING.matcher(request.getBody().readUtf8());
        StringBuilder line = new StringBuilder();
        while (m.find()) {
            line.append(line.length() == 0 ? "" : " ").append(
                    m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return line.toString();
    }
}

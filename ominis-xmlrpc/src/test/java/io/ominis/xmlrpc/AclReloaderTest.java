package io.ominis.xmlrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AclReloaderTest {

    private final List<MockWebServer> servers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile CountDownLatch firstArrived = new CountDownLatch(1);
    private volatile boolean holdFirst;

    @BeforeEach
    void start() throws IOException {
        for (int i = 0; i < 3; i++) {
            MockWebServer server = new MockWebServer();
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    if (holdFirst && request.getSequenceNumber() == 0) {
                        firstArrived.countDown();
                        release.await(5, TimeUnit.SECONDS);
                    }
                    return FsReplies.string("+OK acl reloaded\n");
                }
            });
            server.start();
            servers.add(server);
        }
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        for (MockWebServer server : servers) {
            server.shutdown();
        }
    }

    private FreeSwitchCluster cluster() {
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < servers.size(); i++) {
            nodes.append(i == 0 ? "" : ",").append(FreeSwitchClusterTest.entry("fs" + (i + 1), servers.get(i)));
        }
        return FreeSwitchCluster.builder().nodes(nodes.toString()).build();
    }

    @Test
    void aBurstOfTwentyRequestsReloadsEachNodeOnce() throws Exception {
        try (FreeSwitchCluster cluster = cluster(); AclReloader reloader = new AclReloader(cluster, Duration.ofMillis(200))) {
            List<CompletableFuture<List<NodeResult<Void>>>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(reloader.request());
            }

            List<NodeResult<Void>> results = futures.get(19).get(5, TimeUnit.SECONDS);

            assertThat(results).hasSize(3).allMatch(NodeResult::ok);
            assertThat(futures).allMatch(f -> f.join() == results);
            Thread.sleep(400);
            assertThat(servers).allSatisfy(s -> assertThat(s.getRequestCount()).isEqualTo(1));
        }
    }

    @Test
    void requestsDuringARunCauseExactlyOneMoreReload() throws Exception {
        holdFirst = true;
        try (FreeSwitchCluster cluster = cluster(); AclReloader reloader = new AclReloader(cluster, Duration.ofMillis(100))) {
            CompletableFuture<List<NodeResult<Void>>> first = reloader.request();
            assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();

            List<CompletableFuture<List<NodeResult<Void>>>> during = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                during.add(reloader.request());
            }
            release.countDown();

            first.get(5, TimeUnit.SECONDS);
            during.get(9).get(5, TimeUnit.SECONDS);
            assertThat(during).allMatch(f -> f == during.get(0)).noneMatch(f -> f == first);
            Thread.sleep(400);
            assertThat(servers).allSatisfy(s -> assertThat(s.getRequestCount()).isEqualTo(2));
        }
    }

    @Test
    void closeCancelsAnUnservedRequest() {
        AclReloader reloader = new AclReloader(List::of, Duration.ofSeconds(30));
        CompletableFuture<List<NodeResult<Void>>> pending = reloader.request();

        reloader.close();

        assertThat(pending).isCancelled();
    }
}

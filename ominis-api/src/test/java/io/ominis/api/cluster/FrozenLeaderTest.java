package io.ominis.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.db.Leadership;
import io.ominis.testing.fault.TcpProxy;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader whose lock connection freezes (a {@link TcpProxy} stops carrying its bytes) steps down within its proof
 * bound; a follower takes over once the session has ended on the server, and at no moment do both lead.
 */
class FrozenLeaderTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void aFrozenLeaderStepsDownAndAFollowerTakesOverNeverTwoAtOnce() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port());
                Leadership first = Leadership.start("frozen", "through-proxy",
                        () -> connect("127.0.0.1", proxy.port()), leading -> { });
                Leadership second = startSecondLater(first)) {
            java.util.concurrent.atomic.AtomicBoolean both = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    if (first.isLeader() && second.isLeader()) {
                        both.set(true);
                    }
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            proxy.freezeExisting();
            long frozen = System.nanoTime();
            await(() -> !first.isLeader(), Duration.ofSeconds(6));
            long steppedDown = System.nanoTime() - frozen;
            // the lock is released when the session ends on the server: here when the leader gives its connection up
            // (the proxy passes the close on); behind a black hole, when the server's TCP keepalive notices
            await(second::isLeader, Duration.ofSeconds(15));
            long takenOver = System.nanoTime() - frozen;
            sampling.set(false);
            sampler.join();
            System.out.println("[figures] frozen leader stepped down " + steppedDown / 1_000_000 + " ms after its "
                    + "connection froze; the follower led " + takenOver / 1_000_000 + " ms after");
            assertThat(Duration.ofNanos(steppedDown))
                    .isLessThanOrEqualTo(Leadership.RETRY.plus(Leadership.PROOF_TIMEOUT).plusSeconds(1));
            assertThat(both.get()).as("two leaders at the same moment").isFalse();
            assertThat(first.isLeader()).isFalse();
            try (Connection c = connect(db.host(), db.port())) {
                assertThat(Leadership.leader(c, "frozen")).contains("direct");
            }
        }
    }

    private Leadership startSecondLater(Leadership first) throws Exception {
        await(first::isLeader, Duration.ofSeconds(5));
        Leadership second = Leadership.start("frozen", "direct", () -> connect(db.host(), db.port()), leading -> { });
        second.awaitFirstAttempt(Duration.ofSeconds(5));
        assertThat(second.isLeader()).isFalse();
        return second;
    }

    private Connection connect(String host, int port) throws java.sql.SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db.databaseName(), props);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("within " + timeout).isTrue();
    }
}

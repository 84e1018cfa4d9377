package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three replicas compete for one task: exactly one leads and the database says which; when the leader closes, or its
 * session is killed on the server, another takes over within seconds and the old one has stepped down.
 */
class LeadershipTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void oneOfThreeLeadsAndAnotherTakesOverWhenItGoes() throws Exception {
        List<Leadership> replicas = new ArrayList<>();
        AtomicInteger changes = new AtomicInteger();
        try {
            for (int i = 1; i <= 3; i++) {
                replicas.add(Leadership.start("background", "replica-" + i, this::connect,
                        leading -> changes.incrementAndGet()));
            }
            for (Leadership l : replicas) {
                l.awaitFirstAttempt(Duration.ofSeconds(5));
            }
            await(() -> leaders(replicas).size() == 1, Duration.ofSeconds(5));
            Leadership first = leaders(replicas).get(0);
            try (Connection c = db.connect()) {
                assertThat(Leadership.leader(c, "background")).contains(first.replica());
                assertThat(Leadership.leader(c, "another-task")).isEmpty();
            }

            // the leader goes away cleanly
            first.close();
            long closed = System.nanoTime();
            try (Connection c = db.connect()) {
                // close() gives the lock back before it returns: nobody, or already a successor, holds it
                assertThat(Leadership.leader(c, "background")).isNotEqualTo(Optional.of(first.replica()));
            }
            await(() -> leaders(replicas).size() == 1 && !leaders(replicas).contains(first), Duration.ofSeconds(5));
            System.out.println("[figures] leadership: taken over " + (System.nanoTime() - closed) / 1_000_000
                    + " ms after the leader closed");
            Leadership second = leaders(replicas).get(0);
            try (Connection c = db.connect()) {
                assertThat(Leadership.leader(c, "background")).contains(second.replica());
            }

            // the leader's session dies on the server (a failover, an administrator): it steps down, another leads
            try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                st.setString(1, "ominis-leader:" + second.replica());
                st.execute();
            }
            await(() -> !second.isLeader(), Duration.ofSeconds(5));
            await(() -> leaders(replicas).size() == 1, Duration.ofSeconds(5));
            assertThat(leaders(replicas)).hasSize(1);
            Optional<String> now;
            try (Connection c = db.connect()) {
                now = Leadership.leader(c, "background");
            }
            assertThat(now).contains(leaders(replicas).get(0).replica());
            assertThat(changes.get()).isGreaterThanOrEqualTo(4); // became, stepped down, became, stepped down, became
        } finally {
            replicas.forEach(Leadership::close);
        }
        try (Connection c = db.connect()) {
            assertThat(Leadership.leader(c, "background")).isEmpty();
        }
    }

    private Connection connect() throws java.sql.SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }

    private static List<Leadership> leaders(List<Leadership> replicas) {
        return replicas.stream().filter(Leadership::isLeader).toList();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within " + timeout).isTrue();
    }
}

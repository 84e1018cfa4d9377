package io.ominis.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.db.CoveringRuns;
import io.ominis.db.Leadership;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.api.freeswitch.FreeSwitchStandIn;
import io.ominis.testing.OminisDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three independent server replicas (each its own pool, change listener, directory cache and leadership) on one
 * database, steering two stand-in FreeSWITCH nodes, behave as one: a change through any replica or in SQL reaches
 * every replica's directory cache within a second; an ACL burst spread over the replicas makes one {@code reloadacl}
 * per node; exactly one replica leads the background work, the database says which, and another takes over when the
 * leader stops.
 */
class ThreeReplicasTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void threeReplicasBehaveAsOne() throws Exception {
        try (FreeSwitchStandIn fs1 = new FreeSwitchStandIn(db); FreeSwitchStandIn fs2 = new FreeSwitchStandIn(db)) {
            Map<String, String> extra = new HashMap<>();
            extra.put("PORT", "0");
            extra.put("OMINIS_BIND", "127.0.0.1");
            extra.put("OMINIS_FREESWITCH_NODES", "fs1=" + fs1.url() + ",fs2=" + fs2.url());
            extra.put("OMINIS_ACL_RELOAD_WINDOW_MS", "1000");
            Map<String, String> env = ServerFixture.env(db, extra);
            List<Replica> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ServerSettings settings = ServerSettings.fromEnvironment(env);
                    String name = "replica-" + i;
                    replicas.add(new Replica(env, pool -> FreeSwitchNodes.create(settings.freeSwitch(),
                            new io.ominis.api.cluster.SharedAclReloads(new CoveringRuns(pool, name,
                                    Duration.ofSeconds(15))))));
                }
                for (Replica r : replicas) {
                    assertThat(r.server().changeListener().awaitConnected(Duration.ofSeconds(10))).isTrue();
                }
                directoryChangesReachEveryReplica(replicas);
                anAclBurstReloadsEachNodeOnce(replicas, fs1, fs2);
                oneReplicaLeadsAndAnotherTakesOver(replicas);
            } finally {
                replicas.forEach(Replica::close);
            }
        }
    }

    private void directoryChangesReachEveryReplica(List<Replica> replicas) throws Exception {
        HttpResponse<String> created = replicas.get(0).json("POST", "/v1/extensions",
                "{\"number\":\"1001\",\"password\":\"First-pass-1001\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        for (Replica r : replicas) {
            assertThat(r.directory("1001")).contains("First-pass-1001"); // now cached in each
        }
        // through replica 2's API: replicas 1 and 3 learn it from the notification
        assertThat(replicas.get(1).json("PATCH", "/v1/extensions/1001", "{\"password\":\"Second-pass-1001\"}")
                .statusCode()).isEqualTo(200);
        Duration api = awaitEverywhere(replicas, "Second-pass-1001");
        // in SQL, behind every replica's back
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE extensions SET password = 'Third-pass-1001' WHERE number = '1001'");
        }
        Duration sql = awaitEverywhere(replicas, "Third-pass-1001");
        System.out.println("[figures] 3 replicas: a change through one replica's API served by all after "
                + api.toMillis() + " ms; a change in SQL served by all after " + sql.toMillis() + " ms");
        assertThat(api).isLessThan(Duration.ofSeconds(1));
        assertThat(sql).isLessThan(Duration.ofSeconds(1));
    }

    private static Duration awaitEverywhere(List<Replica> replicas, String password) throws Exception {
        long start = System.nanoTime();
        for (Replica r : replicas) {
            while (!r.directory("1001").contains(password) && System.nanoTime() - start < 5_000_000_000L) {
                Thread.sleep(5);
            }
            assertThat(r.directory("1001")).contains(password);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void anAclBurstReloadsEachNodeOnce(List<Replica> replicas, FreeSwitchStandIn fs1, FreeSwitchStandIn fs2)
            throws Exception {
        long before1 = fs1.count("reloadacl");
        long before2 = fs2.count("reloadacl");
        ExecutorService writers = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> writes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Replica r = replicas.get(i % 3);
                String cidr = "10.1." + i + ".0/24";
                writes.add(writers.submit(() -> r.json("POST", "/v1/acl",
                        "{\"list_name\":\"burst\",\"cidr\":\"" + cidr + "\",\"permission\":\"allow\"}")));
            }
            for (Future<HttpResponse<String>> w : writes) {
                HttpResponse<String> r = w.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                // every write answers with the outcome of the one reload that carried it, whoever ran it
                assertThat(r.body()).contains("\"status\":\"ok\"").contains("fs1").contains("fs2");
            }
        } finally {
            writers.shutdownNow();
        }
        long reloads1 = fs1.count("reloadacl") - before1;
        long reloads2 = fs2.count("reloadacl") - before2;
        System.out.println("[figures] 3 replicas: 12 ACL writes spread over them caused " + reloads1
                + " reloadacl on fs1 and " + reloads2 + " on fs2");
        assertThat(reloads1).isEqualTo(1);
        assertThat(reloads2).isEqualTo(1);
    }

    private void oneReplicaLeadsAndAnotherTakesOver(List<Replica> replicas) throws Exception {
        await(() -> leaders(replicas).size() == 1, Duration.ofSeconds(5));
        Replica leader = leaders(replicas).get(0);
        // background work registered on every replica runs on the leader only
        Map<Replica, java.util.concurrent.atomic.AtomicInteger> runs = new java.util.concurrent.ConcurrentHashMap<>();
        for (Replica r : replicas) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            runs.put(r, n);
            r.server().clusterRole().whileLeading("count", Duration.ofMillis(100), n::incrementAndGet);
        }
        Thread.sleep(1_000);
        for (Replica r : replicas) {
            if (r == leader) {
                assertThat(runs.get(r).get()).as("runs on the leader").isGreaterThanOrEqualTo(5);
            } else {
                assertThat(runs.get(r).get()).as("runs on a follower").isZero();
            }
        }
        assertThat(leader.get("/metrics").body()).contains("ominis_leader{task=\"background\"} 1.0");
        for (Replica r : replicas) {
            if (r != leader) {
                assertThat(r.get("/metrics").body()).contains("ominis_leader{task=\"background\"} 0.0");
            }
        }
        try (Connection c = db.connect()) {
            assertThat(Leadership.leader(c, "background")).contains(leader.server().clusterRole().replica());
        }
        List<Replica> rest = new ArrayList<>(replicas);
        rest.remove(leader);
        leader.close();
        replicas.remove(leader);
        long stopped = System.nanoTime();
        await(() -> leaders(rest).size() == 1, Duration.ofSeconds(5));
        System.out.println("[figures] 3 replicas: leadership taken over " + (System.nanoTime() - stopped) / 1_000_000
                + " ms after the leader stopped");
        Optional<String> now;
        try (Connection c = db.connect()) {
            now = Leadership.leader(c, "background");
        }
        assertThat(now).contains(leaders(rest).get(0).server().clusterRole().replica());
        // the new leader took the background work over
        Replica next = leaders(rest).get(0);
        int at = runs.get(next).get();
        Thread.sleep(500);
        assertThat(runs.get(next).get()).as("runs on the new leader").isGreaterThan(at);
        for (Replica r : rest) {
            if (r != next) {
                assertThat(runs.get(r).get()).as("runs on the remaining follower").isZero();
            }
        }
    }

    private static List<Replica> leaders(List<Replica> replicas) {
        return replicas.stream().filter(r -> r.server().clusterRole().leads()).toList();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("within " + timeout).isTrue();
    }
}

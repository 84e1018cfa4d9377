package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.Extension;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChangeListenerTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void deliversCommittedChangesFromAnyWriterAndResyncsOnReconnect() throws Exception {
        List<ChangeListener.Change> changes = new CopyOnWriteArrayList<>();
        AtomicInteger resyncs = new AtomicInteger();
        try (ChangeListener listener = ChangeListener.start(db::connect, changes::add, resyncs::incrementAndGet)) {
            assertThat(listener.awaitConnected(Duration.ofSeconds(5))).isTrue();
            assertThat(resyncs.get()).isEqualTo(1);

            Database.create(db.dataSource()).extensions().create(Extension.of("1001", "pw"));
            sql("UPDATE extensions SET number = '1002' WHERE number = '1001'");
            sql("INSERT INTO acl_entries (list_name, cidr) VALUES ('lan', '192.168.0.0/16')");
            // CASCADE: extension_a1_hashes refers to extensions (V13); its own truncate notice is the same payload,
            // which PostgreSQL delivers once per transaction
            sql("TRUNCATE extensions CASCADE");
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO extensions (number, password) VALUES ('9999', 'rolled back')");
                }
                c.rollback();
            }

            waitFor(() -> changes.size() >= 5);
            assertThat(changes).containsExactly(
                    new ChangeListener.Change("extensions", "1001"),
                    new ChangeListener.Change("extensions", "1001"),
                    new ChangeListener.Change("extensions", "1002"),
                    new ChangeListener.Change("acl_entries", "lan"),
                    new ChangeListener.Change("extensions", "*"));
            assertThat(changes.get(4).wholeTable()).isTrue();

            listener.dropConnection();
            waitFor(() -> resyncs.get() == 2 && listener.connected());
            assertThat(listener.connects()).isEqualTo(2);
            sql("INSERT INTO extensions (number, password) VALUES ('2001', 'pw')");
            waitFor(() -> changes.contains(new ChangeListener.Change("extensions", "2001")));
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}

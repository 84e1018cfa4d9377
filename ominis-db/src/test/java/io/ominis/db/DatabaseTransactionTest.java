package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.directory.Extension;
import io.ominis.testing.OminisDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DatabaseTransactionTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated();

    private Database db;

    @BeforeEach
    void clean() {
        db = Database.create(pg.dataSource());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM extensions"));
    }

    @Test
    void writesOfSeveralDaosCommitTogether() {
        int count = db.inTransaction(tx -> {
            tx.extensions().create(Extension.of("1001", "Winnipeg2025a"));
            tx.extensions().create(Extension.of("1002", "Winnipeg2025b"));
            // a read inside the transaction sees its own writes
            return tx.extensions().find("1002").isPresent() ? 2 : 0;
        });
        assertThat(count).isEqualTo(2);
        assertThat(db.extensions().find("1001")).isPresent();
        assertThat(db.extensions().find("1002")).isPresent();
    }

    @Test
    void aFailureLeavesNothingAndComesOutTranslated() {
        db.extensions().create(Extension.of("1003", "Winnipeg2025c"));
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.extensions().create(Extension.of("1004", "Winnipeg2025d"));
            tx.extensions().create(Extension.of("1003", "again"));
        })).isInstanceOf(AlreadyExistsException.class);
        assertThat(db.extensions().find("1004")).isEmpty();
    }

    @Test
    void uncommittedWritesAreInvisibleToOthersUntilCommit() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> db.useTransaction(tx -> {
                tx.extensions().create(Extension.of("1005", "Winnipeg2025e"));
                written.countDown();
                await(checked);
            }));
            assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(db.extensions().find("1005")).isEmpty();
            checked.countDown();
            writer.get(5, TimeUnit.SECONDS);
            assertThat(db.extensions().find("1005")).isPresent();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentTransactionsOnOneNumberLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try {
                        db.useTransaction(tx -> {
                            tx.extensions().create(Extension.of("2000" + n, "Winnipeg2025f"));
                            tx.extensions().create(Extension.of("1006", "Winnipeg2025g"));
                        });
                        return "ok";
                    } catch (AlreadyExistsException e) {
                        return "exists";
                    }
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(outcomes).containsOnlyOnce("ok");
            // the losers' first rows were rolled back with their transaction
            assertThat(db.extensions().list(ExtensionDao.Query.first(100)).items()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

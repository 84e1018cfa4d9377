package io.ominis.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.directory.Extension;
import io.ominis.db.Database;
import io.ominis.testing.OminisDatabase;
import io.ominis.xmlcurl.DirectoryRenderer;
import io.ominis.xmlcurl.Lookup;
import io.ominis.xmlcurl.XmlDocument;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The directory cache's own rules, on a real database: rendered documents within their budget in bytes, never one
 * rendered from an answer that was dropped, and without a cache, lookups on the caller's thread that stop at the bound
 * whether the pool is exhausted or the database does not answer.
 */
class DirectoryServiceTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated().withPoolSize(2);

    private static final Duration BOUND = Duration.ofMillis(300);
    private static final Executor NO_HAND_OFF = task -> {
        throw new AssertionError("the lookup was handed to another thread");
    };

    private final DirectoryRenderer renderer = new DirectoryRenderer();
    private Database db;

    @BeforeEach
    void clean() {
        db = Database.create(pg.dataSource());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM extensions"));
    }

    private static Lookup.DirectoryUser lookup(String user) {
        return new Lookup.DirectoryUser(user, "example.com", "example.com", "sip_auth");
    }

    private XmlDocument answer(DirectoryService directory, String number, AtomicInteger renders) {
        DirectoryService.Result.Found found = (DirectoryService.Result.Found) directory.find(number);
        Lookup.DirectoryUser lookup = lookup(number);
        return found.memo().get(lookup, () -> {
            renders.incrementAndGet();
            return renderer.render(lookup, found.user(), 0);
        });
    }

    @Test
    void renderedDocumentsStayWithinTheirBudgetAndEveryAnswerIsStillRight() {
        for (int i = 0; i < 40; i++) {
            db.extensions().create(Extension.of(String.valueOf(3000 + i), "secret-" + i));
        }
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            long budget = 8_000;
            DirectoryService directory = new DirectoryService(db.extensions(), Duration.ofSeconds(5), 1000, budget,
                    executor);
            AtomicInteger renders = new AtomicInteger();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 40; i++) {
                    assertThat(answer(directory, String.valueOf(3000 + i), renders).text())
                            .contains("<user id=\"" + (3000 + i) + "\"").contains("secret-" + i + "\"");
                    assertThat(directory.renderedBytes()).isPositive().isLessThanOrEqualTo(budget);
                }
            }
            assertThat(directory.size()).isEqualTo(40);
            // every user was rendered at least once, and the budget kept far fewer than 40 documents
            assertThat(renders.get()).isGreaterThan(40 + 20);

            // the first users rendered keep their documents; a user beyond the budget is rendered every time
            int before = renders.get();
            for (int i = 0; i < 10; i++) {
                answer(directory, "3000", renders);
            }
            assertThat(renders.get() - before).isZero();
            for (int i = 0; i < 10; i++) {
                answer(directory, "3039", renders);
            }
            assertThat(renders.get() - before).isEqualTo(10);

            // an answer dropped frees its share, and the next user rendered may keep one
            long kept = directory.renderedBytes();
            directory.invalidate("3000");
            assertThat(directory.renderedBytes()).isLessThan(kept);
            answer(directory, "3039", renders);
            before = renders.get();
            answer(directory, "3039", renders);
            assertThat(renders.get() - before).isZero();
            directory.flush();
            assertThat(directory.renderedBytes()).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aDocumentRenderedFromAnAnswerThatWasDroppedIsNeverServed() {
        db.extensions().create(Extension.of("2001", "before-change"));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            DirectoryService directory = new DirectoryService(db.extensions(), Duration.ofSeconds(5), 1000, 1 << 20,
                    executor);
            Lookup.DirectoryUser lookup = lookup("2001");
            DirectoryService.Result.Found old = (DirectoryService.Result.Found) directory.find("2001");
            db.extensions().update(db.extensions().get("2001").withPassword("after-change"));
            directory.invalidate("2001");
            DirectoryService.Result.Found fresh = (DirectoryService.Result.Found) directory.find("2001");

            // a request still holding the old answer renders and keeps it after the change was seen
            assertThat(old.memo().get(lookup, () -> renderer.render(lookup, old.user(), 0)).text())
                    .contains("before-change");
            assertThat(fresh.memo().get(lookup, () -> renderer.render(lookup, fresh.user(), 0)).text())
                    .contains("after-change");
            assertThat(answer(directory, "2001", new AtomicInteger()).text()).contains("after-change");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void withoutACacheLookupsRunOnTheCallersThreadAndStopAtTheBound() throws Exception {
        db.extensions().create(Extension.of("4001", "uncached-secret"));
        DirectoryService directory = new DirectoryService(db.extensions(), BOUND, 0, 1 << 20, NO_HAND_OFF);

        DirectoryService.Result found = directory.find("4001");
        assertThat(found).isInstanceOf(DirectoryService.Result.Found.class);
        assertThat(((DirectoryService.Result.Found) found).user().extension().password()).isEqualTo("uncached-secret");
        assertThat(((DirectoryService.Result.Found) found).memo()).isNull();
        assertThat(directory.find("4002")).isInstanceOf(DirectoryService.Result.Absent.class);

        // every pooled connection is taken (the pool's own wait is 30 s): the lookup gives up at the bound
        try (Connection a = pg.dataSource().getConnection(); Connection b = pg.dataSource().getConnection()) {
            assertGivesUpAtTheBound(directory, "4001");
        }

        // the database takes the query and never answers it (the table is locked): the lookup gives up at the bound
        try (Connection locker = pg.connect(); Statement st = locker.createStatement()) {
            locker.setAutoCommit(false);
            st.execute("LOCK TABLE extensions IN ACCESS EXCLUSIVE MODE");
            assertGivesUpAtTheBound(directory, "4001");
            locker.rollback();
        }

        // and once it answers again, so does the lookup (the connection that timed out was replaced)
        assertThat(directory.find("4001")).isInstanceOf(DirectoryService.Result.Found.class);
    }

    @Test
    void withoutACacheManyConcurrentLookupsShareTheSmallPoolAndNoneWaitsOutItsBound() throws Exception {
        db.extensions().create(Extension.of("5001", "shared-secret"));
        DirectoryService directory = new DirectoryService(db.extensions(), Duration.ofSeconds(2), 0, 0, NO_HAND_OFF);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Callable<Integer>> work = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                work.add(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 150; i++) {
                        wrong += directory.find("5001") instanceof DirectoryService.Result.Found ? 0 : 1;
                        wrong += directory.find("5002") instanceof DirectoryService.Result.Absent ? 0 : 1;
                    }
                    return wrong;
                });
            }
            // 16 callers after the 2 connections of the pool, 4,800 lookups: every one answered, in turn
            for (java.util.concurrent.Future<Integer> f : callers.invokeAll(work, 60, TimeUnit.SECONDS)) {
                assertThat(f.get()).isZero();
            }
            assertThat(directory.misses()).isEqualTo(16 * 300);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void findAsyncNeverWaitsAndCompletesAtTheBoundAtTheLatestWithOrWithoutACache() throws Exception {
        db.extensions().create(Extension.of("6001", "async-secret"));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            for (int cacheSize : new int[] {1000, 0}) {
                DirectoryService directory = new DirectoryService(db.extensions(), BOUND, cacheSize, 1 << 20, executor);
                assertThat(directory.findAsync("6001").get(5, TimeUnit.SECONDS))
                        .isInstanceOfSatisfying(DirectoryService.Result.Found.class,
                                f -> assertThat(f.user().extension().password()).isEqualTo("async-secret"));
                assertThat(directory.findAsync("6002").get(5, TimeUnit.SECONDS))
                        .isInstanceOf(DirectoryService.Result.Absent.class);
                if (cacheSize > 0) {
                    long hits = directory.hits();
                    assertThat(directory.findAsync("6001").isDone()).as("a cached answer is there at once").isTrue();
                    assertThat(directory.hits()).isEqualTo(hits + 1);
                }
                // the database takes the query and never answers it (the table is locked)
                try (Connection locker = pg.connect(); Statement st = locker.createStatement()) {
                    locker.setAutoCommit(false);
                    st.execute("LOCK TABLE extensions IN ACCESS EXCLUSIVE MODE");
                    long start = System.nanoTime();
                    java.util.concurrent.CompletableFuture<DirectoryService.Result> pending =
                            directory.findAsync("6003");
                    long returned = (System.nanoTime() - start) / 1_000_000;
                    DirectoryService.Result result = pending.get(5, TimeUnit.SECONDS);
                    long answered = (System.nanoTime() - start) / 1_000_000;
                    assertThat(returned).as("cache size %d: the caller did not wait", cacheSize).isLessThan(150);
                    assertThat(result).isInstanceOfSatisfying(DirectoryService.Result.Unavailable.class,
                            u -> assertThat(u.timedOut()).isTrue());
                    assertThat(answered).isBetween(BOUND.toMillis() - 20, 1_500L);
                    locker.rollback();
                }
            }
            // a lookup the executor refuses is unavailable at once, not a failure of the caller
            DirectoryService refusing = new DirectoryService(db.extensions(), BOUND, 0, 0, task -> {
                throw new java.util.concurrent.RejectedExecutionException("full");
            });
            java.util.concurrent.CompletableFuture<DirectoryService.Result> refused = refusing.findAsync("6001");
            assertThat(refused.isDone()).isTrue();
            assertThat(refused.join()).isInstanceOfSatisfying(DirectoryService.Result.Unavailable.class,
                    u -> assertThat(u.timedOut()).isFalse());
        } finally {
            executor.shutdownNow();
        }
    }

    private static void assertGivesUpAtTheBound(DirectoryService directory, String number) {
        long start = System.nanoTime();
        DirectoryService.Result result = directory.find(number);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result).isInstanceOfSatisfying(DirectoryService.Result.Unavailable.class,
                u -> assertThat(u.timedOut()).isTrue());
        assertThat(millis).isBetween(BOUND.toMillis() - 20, 1_500L);
    }
}

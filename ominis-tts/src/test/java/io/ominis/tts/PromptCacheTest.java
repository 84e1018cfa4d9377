package io.ominis.tts;

import static io.ominis.tts.OpenAiSpeechProviderTest.audio;
import static io.ominis.tts.OpenAiSpeechProviderTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.InvalidValueException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.TtsCacheEntry;
import io.ominis.db.Database;
import io.ominis.testing.OminisDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PromptCacheTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String IVR_KEY = "sk-ivr-sales-0123456789SECRET";
    private static final SpeechRequest HELLO = SpeechRequest.of("Hello, thanks for calling.", "en", "alloy", "tts-1");
    private static final SpeechAccount SALES = SpeechAccount.of("sales", IVR_KEY);

    private static Database database;

    @TempDir
    Path dir;

    private MockWebServer server;
    private PromptCache cache;
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @BeforeAll
    static void connect() {
        database = Database.create(db.dataSource());
    }

    @BeforeEach
    void setUp() throws IOException {
        server = new MockWebServer();
        server.start();
        database.jdbi().useHandle(h -> h.execute("DELETE FROM ivr_tts_cache"));
        cache = newCache(database, b -> { });
    }

    @AfterEach
    void tearDown() throws Exception {
        cache.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
        server.shutdown();
    }

    private PromptCache newCache(Database on, Consumer<PromptCache.Builder> tweak) {
        PromptCache.Builder b = PromptCache.builder()
                .database(on)
                .directory(dir)
                .hitFlushInterval(Duration.ofHours(1))
                .provider(OpenAiSpeechProvider.builder()
                        .baseUrl(server.url("/").toString())
                        .id("test-openai")
                        .defaultApiKey("sk-default-000000")
                        .readTimeout(Duration.ofSeconds(2))
                        .initialBackoff(Duration.ofMillis(5))
                        .maxRetries(1)
                        .build());
        tweak.accept(b);
        PromptCache c = b.build();
        closeLater.add(c);
        return c;
    }

    private Optional<TtsCacheEntry> row(SpeechRequest request) {
        return database.ttsCache().findByHash(cache.keyOf(request));
    }

    private List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aMissIsSynthesizedIntoAShardedFileAndARowThenServedFromCache() throws IOException {
        server.enqueue(audio(wav("-1")));

        Path file = cache.audioFor(HELLO, SALES);

        String hash = cache.keyOf(HELLO);
        assertThat(file).isEqualTo(dir.toAbsolutePath().resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4))
                .resolve(hash + ".wav"));
        assertThat(file).hasBinaryContent(wav("-1"));
        TtsCacheEntry row = row(HELLO).orElseThrow();
        assertThat(row.text()).isEqualTo("Hello, thanks for calling.");
        assertThat(row.language()).isEqualTo("en");
        assertThat(row.voice()).isEqualTo("alloy");
        assertThat(row.model()).isEqualTo("tts-1");
        assertThat(row.filePath()).isEqualTo(file.toString());
        assertThat(row.fileSizeBytes()).isEqualTo(44 + 2);

        assertThat(cache.audioFor(HELLO, SALES)).isEqualTo(file);
        assertThat(server.getRequestCount()).isEqualTo(1);
        CacheStats stats = cache.stats();
        assertThat(stats.entries()).isEqualTo(1);
        assertThat(stats.totalBytes()).isEqualTo(44 + 2);
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.upstreamCalls()).isEqualTo(1);
        assertThat(stats.upstreamFailures()).isZero();
    }

    @Test
    void aRowWhoseFileIsGoneIsAMissAndIsSynthesizedAgain() throws IOException {
        server.enqueue(audio(wav("first")));
        server.enqueue(audio(wav("second")));
        Path file = cache.audioFor(HELLO, SALES);
        Files.delete(file);

        assertThat(cache.lookup(HELLO)).isEmpty();
        assertThat(cache.audioFor(HELLO, SALES)).isEqualTo(file).hasBinaryContent(wav("second"));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(database.ttsCache().count()).isEqualTo(1);
    }

    @Test
    void lookupAnswersFromTheCacheOnlyAndServesTheRenderer() {
        assertThat(cache.lookup("Hello, thanks for calling.", "en", "alloy", "tts-1")).isEmpty();
        assertThat(cache.lookup("   ", "en", "alloy", "tts-1")).isEmpty();
        assertThat(server.getRequestCount()).isZero();

        server.enqueue(audio(wav("")));
        Path file = cache.audioFor(HELLO, SALES);

        // The renderer's Prompt carries text, language, voice and model; the cache adds its format.
        assertThat(cache.lookup(" Hello, thanks for calling.\n", "en", "alloy", "tts-1")).contains(file);
        assertThat(cache.lookup("Hello, thanks for calling.", "en", "nova", "tts-1")).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedSynthesisCachesNothing() throws IOException {
        server.enqueue(error(400, "Invalid model"));

        assertThatThrownBy(() -> cache.audioFor(HELLO, SALES)).isInstanceOf(TtsRejectedException.class);

        assertThat(row(HELLO)).isEmpty();
        assertThat(filesUnder(dir)).isEmpty();
        assertThat(cache.stats().upstreamFailures()).isEqualTo(1);
    }

    @Test
    void aTruncatedBodyCachesNothing() throws IOException {
        for (int i = 0; i < 2; i++) {
            server.enqueue(audio(wav(" ".repeat(64 * 1024 - 44))).throttleBody(8 * 1024, 5, TimeUnit.MILLISECONDS)
                    .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        }

        assertThatThrownBy(() -> cache.audioFor(HELLO, SALES)).isInstanceOf(TtsUnavailableException.class);

        assertThat(row(HELLO)).isEmpty();
        assertThat(filesUnder(dir)).as("no final file and no temporary file").isEmpty();
    }

    @Test
    void fiftyConcurrentRequestsForOnePromptMakeOneUpstreamCall() throws Exception {
        server.enqueue(audio(wav("-once")).setBodyDelay(300, TimeUnit.MILLISECONDS));
        server.enqueue(audio(wav("-twice")));

        List<Path> paths = concurrently(50, () -> cache.audioFor(HELLO, SALES));

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(paths).hasSize(50).allSatisfy(p -> assertThat(p).hasBinaryContent(wav("-once")));
        assertThat(database.ttsCache().count()).isEqualTo(1);
    }

    @Test
    void twoProcessesOnOneDatabaseMakeOneUpstreamCall() throws Exception {
        server.enqueue(audio(wav("-once")).setBodyDelay(300, TimeUnit.MILLISECONDS));
        server.enqueue(audio(wav("-twice")));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(4);
        HikariDataSource otherPool = new HikariDataSource(config);
        closeLater.add(otherPool);
        PromptCache otherProcess = newCache(Database.create(otherPool), b -> { });

        List<Path> paths = concurrently(20, new Callable<>() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Path call() {
                return (n.getAndIncrement() % 2 == 0 ? cache : otherProcess).audioFor(HELLO, SALES);
            }
        });

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(paths).allSatisfy(p -> assertThat(p).hasBinaryContent(wav("-once")));
        assertThat(cache.stats().upstreamCalls() + otherProcess.stats().upstreamCalls()).isEqualTo(1);
    }

    @Test
    void aFinalNameOnlyEverHoldsCompleteAudio() throws IOException {
        String hash = PromptKey.of(HELLO, "stub");
        Path target = dir.toAbsolutePath().resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4))
                .resolve(hash + ".wav");
        List<String> seenWhileWriting = new ArrayList<>();
        SpeechProvider failsHalfway = new StubProvider((request, sink) -> {
            try (OutputStream out = sink.begin()) {
                out.write("half of the".getBytes());
                seenWhileWriting.add(Files.exists(target) ? "final" : "none");
                try (Stream<Path> files = Files.list(target.getParent())) {
                    files.forEach(f -> seenWhileWriting.add(f.getFileName().toString()));
                }
            }
            throw new TtsUnavailableException(null, 0, "cut", null);
        });
        PromptCache stubbed = newCache(database, b -> b.provider(failsHalfway));

        assertThatThrownBy(() -> stubbed.audioFor(HELLO)).isInstanceOf(TtsUnavailableException.class);

        assertThat(seenWhileWriting).hasSize(2);
        assertThat(seenWhileWriting.get(0)).isEqualTo("none");
        assertThat(seenWhileWriting.get(1)).startsWith("." + hash + "-").endsWith(".part");
        assertThat(filesUnder(dir)).isEmpty();
        assertThat(row(HELLO)).isEmpty();
    }

    @Test
    void aProviderThatRestartsTheSinkLeavesOnlyTheLastAttempt() {
        PromptCache stubbed = newCache(database, b -> b.provider(new StubProvider((request, sink) -> {
            try (OutputStream out = sink.begin()) {
                out.write("garbage from a failed attempt".getBytes());
            }
            try (OutputStream out = sink.begin()) {
                out.write(wav("good"));
            }
        })));

        assertThat(stubbed.audioFor(HELLO)).hasBinaryContent(wav("good"));
    }

    @Test
    void hitsAreCountedInMemoryAndWrittenInOneStatement() throws Exception {
        server.enqueue(audio(wav("")));
        cache.audioFor(HELLO, SALES);

        concurrently(100, () -> cache.lookup("Hello, thanks for calling.", "en", "alloy", "tts-1").orElseThrow());

        assertThat(row(HELLO).orElseThrow().accessCount()).as("no write per hit").isZero();
        assertThat(cache.stats().pendingHits()).isEqualTo(100);
        assertThat(cache.flushHits()).isEqualTo(1);
        assertThat(row(HELLO).orElseThrow().accessCount()).isEqualTo(100);
        CacheStats stats = cache.stats();
        assertThat(stats.hitFlushes()).isEqualTo(1);
        assertThat(stats.pendingHits()).isZero();
        assertThat(cache.flushHits()).as("nothing pending, no statement").isZero();
        assertThat(cache.stats().hitFlushes()).isEqualTo(1);
    }

    @Test
    void hitsAreFlushedPeriodicallyAndOnClose() throws Exception {
        server.enqueue(audio(wav("")));
        PromptCache periodic = newCache(database, b -> b.hitFlushInterval(Duration.ofMillis(100)));
        periodic.audioFor(HELLO, SALES);
        for (int i = 0; i < 3; i++) {
            periodic.lookup(HELLO);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (row(HELLO).orElseThrow().accessCount() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(row(HELLO).orElseThrow().accessCount()).isEqualTo(3);

        cache.lookup(HELLO);
        cache.lookup(HELLO);
        cache.close();
        assertThat(row(HELLO).orElseThrow().accessCount()).isEqualTo(5);
    }

    @Test
    void evictionRemovesTheLeastValuableEntriesUntilTheBudgetFits() throws IOException {
        List<SpeechRequest> prompts = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            server.enqueue(audio(wav(" ".repeat(1000 - 44))));
            SpeechRequest r = SpeechRequest.of("Prompt number " + i, "en", "alloy", "tts-1");
            prompts.add(r);
            files.add(cache.audioFor(r, SALES));
            for (int hit = 0; hit < i; hit++) {
                cache.lookup(r);
            }
        }
        assertThat(cache.stats().totalBytes()).isEqualTo(5000);

        EvictionResult result = cache.evictTo(2500);

        assertThat(result.removed()).isEqualTo(3);
        assertThat(result.freedBytes()).isEqualTo(3000);
        assertThat(result.totalBytes()).isEqualTo(2000);
        assertThat(database.ttsCache().totalBytes()).isEqualTo(2000);
        for (int i = 0; i < 5; i++) {
            boolean kept = i >= 3;
            assertThat(row(prompts.get(i)).isPresent()).as("row %d kept", i).isEqualTo(kept);
            assertThat(Files.exists(files.get(i))).as("file %d kept", i).isEqualTo(kept);
        }
        assertThat(cache.evictTo(2500).removed()).isZero();
        assertThat(cache.evictTo(0).removed()).isEqualTo(2);
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void aBudgetIsEnforcedInTheBackground() throws Exception {
        PromptCache budgeted = newCache(database, b -> b.budgetBytes(1500).hitFlushInterval(Duration.ofMillis(100)));
        server.enqueue(audio(wav(" ".repeat(1000 - 44))));
        server.enqueue(audio(wav(" ".repeat(1000 - 44))));
        budgeted.audioFor(HELLO, SALES);
        SpeechRequest popular = SpeechRequest.of("Popular prompt", "en", "alloy", "tts-1");
        budgeted.audioFor(popular, SALES);
        budgeted.lookup(popular);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (database.ttsCache().count() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(row(HELLO)).isEmpty();
        assertThat(row(popular)).isPresent();
    }

    @Test
    void aTextTheTableRefusesCostsNoUpstreamCall() {
        SpeechRequest bell = SpeechRequest.of("Ring \u0007 the bell", "en", "alloy", "tts-1");

        assertThatThrownBy(() -> cache.audioFor(bell, SALES)).isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("text:");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void sweepRemovesOrphansBothWays() throws IOException {
        SpeechRequest kept = SpeechRequest.of("Still here", "en", "alloy", "tts-1");
        server.enqueue(audio(wav("A")));
        server.enqueue(audio(wav("B")));
        Path lostFile = cache.audioFor(HELLO, SALES);
        Path keptFile = cache.audioFor(kept, SALES);
        Files.delete(lostFile);
        String orphanHash = "e".repeat(64);
        Path orphan = Files.createDirectories(dir.resolve("ee/ee")).resolve(orphanHash + ".wav");
        Files.write(orphan, new byte[] {1});
        Path staleTemp = dir.resolve("ee/ee").resolve("." + orphanHash + "-123.part");
        Files.write(staleTemp, new byte[] {2});
        Path notOurs = Files.writeString(dir.resolve("README.txt"), "operator notes");

        SweepResult young = cache.sweep();
        assertThat(young.rowsRemoved()).isEqualTo(1);
        assertThat(young.orphanFilesRemoved()).as("files younger than the grace period are spared").isZero();

        PromptCache impatient = newCache(database, b -> b.sweepGrace(Duration.ZERO));
        SweepResult result = impatient.sweep();

        assertThat(result.orphanFilesRemoved()).isEqualTo(2);
        assertThat(result.rowsRemoved()).isZero();
        assertThat(row(HELLO)).isEmpty();
        assertThat(row(kept)).isPresent();
        assertThat(keptFile).exists();
        assertThat(orphan).doesNotExist();
        assertThat(staleTemp).doesNotExist();
        assertThat(notOurs).exists();
    }

    @Test
    void warmingAnIvrSynthesizesEachDistinctPromptOnce() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(audio(wav("-" + i)));
        }
        IvrDefinition sales = ivr(
                new IvrMenu(1, "sales", "main_menu", "Welcome to sales.", null, 5, 3, "Sorry, I did not get that.",
                        null, null),
                new IvrMenu(2, "sales", "billing", "Billing. Press one.", "nova", 5, 3, "Sorry, I did not get that.",
                        null, null));

        WarmReport report = cache.warm(sales, IVR_KEY);

        assertThat(report.ivrName()).isEqualTo("sales");
        assertThat(report.prompts()).extracting(WarmReport.PromptResult::menuId, WarmReport.PromptResult::field,
                WarmReport.PromptResult::outcome).containsExactly(
                        tuple("main_menu", "prompt_text", WarmReport.Outcome.SYNTHESIZED),
                        tuple("main_menu", "invalid_prompt", WarmReport.Outcome.SYNTHESIZED),
                        tuple("billing", "prompt_text", WarmReport.Outcome.SYNTHESIZED),
                        // Same text as main_menu's, but billing speaks with its own voice: a prompt of its own.
                        tuple("billing", "invalid_prompt", WarmReport.Outcome.SYNTHESIZED));
        assertThat(report.complete()).isTrue();
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + IVR_KEY);
        assertThat(cache.lookup("Billing. Press one.", "en", "nova", "tts-1")).isPresent();
        assertThat(cache.lookup("Sorry, I did not get that.", "en", "alloy", "tts-1")).isPresent();

        WarmReport again = cache.warm(sales, IVR_KEY);
        assertThat(again.count(WarmReport.Outcome.CACHED)).isEqualTo(4);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void warmingReportsDuplicatesAsCachedAndStopsAfterARefusedKey() {
        server.enqueue(audio(wav("")));
        server.enqueue(error(401, "Incorrect API key provided: " + IVR_KEY));
        IvrDefinition sales = ivr(
                new IvrMenu(1, "sales", "a", "Same words.", null, 5, 3, "Same words.", null, null),
                new IvrMenu(2, "sales", "b", "Other words.", null, 5, 3, "Third words.", null, null));

        WarmReport report = cache.warm(sales, IVR_KEY);

        assertThat(report.prompts()).extracting(WarmReport.PromptResult::outcome).containsExactly(
                WarmReport.Outcome.SYNTHESIZED, WarmReport.Outcome.CACHED,
                WarmReport.Outcome.FAILED, WarmReport.Outcome.FAILED);
        assertThat(report.prompts().get(2).error()).contains("IVR 'sales'").contains("HTTP 401");
        assertThat(report.prompts().get(3).error()).startsWith("not tried: ");
        assertThat(report.prompts()).allSatisfy(p -> assertThat(String.valueOf(p.error())).doesNotContain(IVR_KEY));
        assertThat(report.complete()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    private static IvrDefinition ivr(IvrMenu... menus) {
        return new IvrDefinition(Ivr.named("sales"), List.of(menus), Map.of());
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(20, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A playable WAV header (24 kHz, 16-bit mono PCM, as OpenAI sends it) followed by {@code tag} as the samples. */
    static byte[] wav(String tag) {
        byte[] samples = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(24_000).putInt(48_000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(samples.length).put(samples);
        return b.array();
    }

    @Test
    void audioThatIsNotAPlayableWavIsRefusedAndNotCached() throws IOException {
        for (byte[] bad : List.of("Internal error".getBytes(), "RIFF-1234WAVE".getBytes(),
                java.util.Arrays.copyOf(wav("x"), 20))) {
            server.enqueue(audio(bad));
        }
        byte[] floatWav = wav("xxxx");
        floatWav[20] = 3; // IEEE float, not linear PCM
        server.enqueue(audio(floatWav));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> cache.audioFor(HELLO)).isInstanceOf(TtsUnavailableException.class)
                    .hasMessageContaining("not a WAV FreeSWITCH can play");
        }
        assertThat(filesUnder(dir)).isEmpty();
        assertThat(row(HELLO)).isEmpty();
    }

    /** A provider without HTTP: shows the seam another engine plugs into. */
    private record StubProvider(Body body) implements SpeechProvider {
        interface Body {
            void write(SpeechRequest request, AudioSink sink) throws IOException;
        }

        @Override
        public String id() {
            return "stub";
        }

        @Override
        public void synthesize(SpeechRequest request, SpeechAccount account, AudioSink sink) {
            try {
                body.write(request, sink);
            } catch (IOException e) {
                throw new TtsStorageException(account.ivrName(), e.toString(), e);
            }
        }
    }
}

package io.ominis.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.Migrations;
import io.ominis.tts.PromptCache;
import io.ominis.tts.SpeechAccount;
import io.ominis.tts.SpeechProvider;
import io.ominis.tts.SpeechRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * How long a prompt-cache hit takes: key (NFC + SHA-256), row lookup, file check — what {@code ivr.conf} pays per
 * prompt. Synthesis is a stand-in that returns a fixed WAV, so only our code and PostgreSQL are measured.
 *
 * <pre>java -cp ominis-bench/target/ominis-bench.jar io.ominis.bench.PromptCacheHitBench [prompts] [calls]</pre>
 * with {@code DB_DSN} pointing at a scratch database (default {@code postgresql://postgres@127.0.0.1:5432/ominis_bench_tts},
 * created if missing).
 */
public final class PromptCacheHitBench {

    private PromptCacheHitBench() {
    }

    public static void main(String[] args) throws Exception {
        int prompts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String dsn = System.getenv().getOrDefault("DB_DSN", "postgresql://postgres@127.0.0.1:5432/ominis_bench_tts");
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", dsn));
        ConnectionPool.createDatabaseIfMissing(settings);
        Path dir = Files.createTempDirectory("ominis-tts-bench");
        byte[] wav = new byte[16_044];
        SpeechProvider standIn = new SpeechProvider() {
            @Override
            public String id() {
                return "bench";
            }

            @Override
            public void synthesize(SpeechRequest request, SpeechAccount account, io.ominis.tts.AudioSink sink) {
                try (var out = sink.begin()) {
                    out.write(wav);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (HikariDataSource pool = ConnectionPool.open(settings)) {
            Migrations.migrate(pool);
            Database db = Database.create(pool);
            try (PromptCache cache = PromptCache.builder().database(db).provider(standIn).directory(dir).build()) {
                for (int i = 0; i < prompts; i++) {
                    cache.audioFor(SpeechRequest.of(text(i), "en", "alloy", "tts-1"));
                }
                for (int i = 0; i < Math.min(calls, 10_000); i++) {
                    cache.lookup(text(i % prompts), "en", "alloy", "tts-1");
                }
                long[] lookup = new long[calls];
                long[] audioFor = new long[calls];
                for (int i = 0; i < calls; i++) {
                    String t = text(i % prompts);
                    long start = System.nanoTime();
                    if (cache.lookup(t, "en", "alloy", "tts-1").isEmpty()) {
                        throw new IllegalStateException("miss for a cached prompt");
                    }
                    lookup[i] = System.nanoTime() - start;
                    start = System.nanoTime();
                    cache.audioFor(SpeechRequest.of(t, "en", "alloy", "tts-1"));
                    audioFor[i] = System.nanoTime() - start;
                }
                System.out.printf("prompt cache hit, %d prompts cached, %d calls each, one thread%n", prompts, calls);
                System.out.println("| call | mean µs | p50 µs | p99 µs |");
                System.out.println("|---|---:|---:|---:|");
                row("lookup(text, language, voice, model)", lookup);
                row("audioFor(request) on a hit", audioFor);
                System.out.println("upstream calls: " + cache.stats().upstreamCalls() + " (all during seeding)");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String text(int i) {
        return "Thank you for calling. Your call is important to us. Please hold, prompt number " + i + ".";
    }

    private static void row(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1000.0;
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", name, mean, sorted[sorted.length / 2] / 1000.0,
                sorted[(int) (sorted.length * 0.99)] / 1000.0);
    }
}

package io.ominis.tts;

import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import io.ominis.core.UnavailableException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.TtsCacheEntry;
import io.ominis.db.Database;
import io.ominis.db.TtsCacheDao;
import io.ominis.tts.internal.AdvisoryLock;
import io.ominis.tts.internal.CacheLayout;
import io.ominis.tts.internal.WavCheck;
import io.ominis.tts.internal.HitCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed cache of synthesized prompts: audio files under one directory, one {@code ivr_tts_cache} row
 * each, keyed by {@link PromptKey}. Thread-safe; one instance per process. {@link #close()} it to write the last hits.
 *
 * <p><b>Reading.</b> {@link #lookup(String, String, String, String)} answers from what is cached and never calls the
 * provider; it is the audio function the {@code ivr.conf} renderer takes:
 * {@code p -> cache.lookup(p.text(), p.language(), p.voice(), p.model()).map(Path::toString)}.
 * {@link #audioFor(SpeechRequest, SpeechAccount)} synthesizes on a miss. An entry counts only when both its row and
 * its file exist; a row whose file is gone is a miss and is synthesized again.
 *
 * <p><b>Writing.</b> Audio is streamed to a temporary file in the target's directory, forced to disk and renamed to
 * its final name with {@code ATOMIC_MOVE}, so a final name only ever holds complete audio; the row is written after
 * the rename. A failed or truncated synthesis leaves neither file nor row.
 *
 * <p><b>One upstream call per prompt.</b> Concurrent requests for the same uncached prompt share one synthesis: in
 * this process through a map of in-flight futures, across processes on the same database through a PostgreSQL
 * advisory lock on the key ({@link PromptKey#lockNumber(String)}), held on its own connection while synthesizing.
 * Whoever gets the lock second checks again and finds the audio. At most
 * {@link Builder#maxConcurrentSyntheses(int)} distinct prompts are synthesized at once, so the locks never take every
 * pooled connection. Processes sharing a database must share the directory, at the same path.
 *
 * <p><b>Hits</b> are counted in memory and written with one {@link TtsCacheDao#recordHits(Map)} statement per
 * {@link Builder#hitFlushInterval(Duration)} (and on {@link #close()}), so serving a prompt costs no write.
 *
 * <p><b>Upkeep.</b> {@link #evictTo(long)} deletes the least valuable entries (fewest hits, then least recently
 * used) until the cache fits a budget; with {@link Builder#budgetBytes(long)} set it also runs after each flush.
 * {@link #sweep()} deletes files that have no row and rows that have no file.
 */
public final class PromptCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PromptCache.class);
    private static final int EVICTION_BATCH = 200;
    private static final int SWEEP_PAGE = TtsCacheDao.MAX_LIMIT;

    private final TtsCacheDao dao;
    private final DataSource dataSource;
    private final SpeechProvider provider;
    private final CacheLayout layout;
    private final SpeechFormat format;
    private final long budgetBytes;
    private final Duration sweepGrace;
    private final Semaphore syntheses;
    private final ConcurrentHashMap<String, CompletableFuture<Obtained>> inFlight = new ConcurrentHashMap<>();
    private final HitCounter pendingHits = new HitCounter();
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder upstreamCalls = new LongAdder();
    private final LongAdder upstreamFailures = new LongAdder();
    private final LongAdder hitFlushes = new LongAdder();

    private PromptCache(Builder b) {
        this.dao = b.database.ttsCache();
        this.dataSource = b.database.dataSource();
        this.provider = b.provider;
        this.layout = new CacheLayout(b.directory);
        this.format = b.format;
        this.budgetBytes = b.budgetBytes;
        this.sweepGrace = b.sweepGrace;
        this.syntheses = new Semaphore(b.maxConcurrentSyntheses, true);
        try {
            Files.createDirectories(layout.root());
        } catch (IOException e) {
            throw new TtsStorageException(null, "cannot create the cache directory " + layout.root() + ": " + e, e);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ominis-tts-upkeep");
            t.setDaemon(true);
            return t;
        });
        long every = b.hitFlushInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::upkeep, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder; {@code database}, {@code provider} and {@code directory} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The directory audio files are kept in (absolute). */
    public Path directory() {
        return layout.root();
    }

    /** The provider misses are synthesized with. */
    public SpeechProvider provider() {
        return provider;
    }

    /** The format of prompts looked up by text ({@link #request}); {@code wav} unless configured otherwise. */
    public SpeechFormat format() {
        return format;
    }

    /** The request this cache uses for a prompt given by its text, language, voice and model. */
    public SpeechRequest request(String text, String language, String voice, String model) {
        return new SpeechRequest(text, language, voice, model, format, null, null);
    }

    /** The cache key of {@code request} with this cache's provider. */
    public String keyOf(SpeechRequest request) {
        return PromptKey.of(request, provider.id());
    }

    /**
     * The cached audio of a prompt, without ever calling the provider: for the {@code ivr.conf} renderer. Counts a
     * hit or a miss; an invalid prompt (blank, too long) is simply not cached.
     */
    public Optional<Path> lookup(String text, String language, String voice, String model) {
        SpeechRequest request;
        try {
            request = request(text, language, voice, model);
        } catch (InvalidValueException e) {
            misses.increment();
            return Optional.empty();
        }
        return lookup(request);
    }

    /** The cached audio of {@code request}, without ever calling the provider. Counts a hit or a miss. */
    public Optional<Path> lookup(SpeechRequest request) {
        String hash = keyOf(request);
        Optional<Path> ready = ready(hash);
        if (ready.isPresent()) {
            hit(hash);
        } else {
            misses.increment();
        }
        return ready;
    }

    /** {@link #audioFor(SpeechRequest, SpeechAccount)} with the provider's default key and no IVR. */
    public Path audioFor(SpeechRequest request) {
        return audioFor(request, SpeechAccount.DEFAULT);
    }

    /**
     * The audio of {@code request}: the cached file, or a new one synthesized now with {@code account}'s key.
     *
     * @return the absolute path of a complete audio file
     * @throws TtsException         when the provider or the disk fails; nothing is cached then
     * @throws UnavailableException when the database cannot be reached
     */
    public Path audioFor(SpeechRequest request, SpeechAccount account) {
        Objects.requireNonNull(request, "request");
        String hash = keyOf(request);
        Optional<Path> ready = ready(hash);
        if (ready.isPresent()) {
            hit(hash);
            return ready.get();
        }
        misses.increment();
        return obtain(hash, request, account == null ? SpeechAccount.DEFAULT : account).path();
    }

    /**
     * Makes sure every prompt of an IVR is cached: each menu's prompt text and invalid prompt, with the menu's voice
     * (else the IVR's) and the IVR's language and model, exactly as the renderer looks them up. Failures are reported
     * per prompt, not thrown; once the key is refused the remaining prompts are reported failed without calling the
     * provider again. Warming does not count as hits.
     *
     * @param apiKey the IVR's decrypted key, or null to use the provider's default key
     */
    public WarmReport warm(IvrDefinition definition, String apiKey) {
        Ivr ivr = definition.ivr();
        SpeechAccount account = SpeechAccount.of(ivr.name(), apiKey);
        List<WarmReport.PromptResult> report = new ArrayList<>();
        Map<String, WarmReport.PromptResult> done = new HashMap<>();
        String refused = null;
        for (IvrMenu menu : definition.menus()) {
            String voice = menu.ttsVoice() != null ? menu.ttsVoice() : ivr.defaultVoice();
            for (String field : List.of("prompt_text", "invalid_prompt")) {
                String text = "prompt_text".equals(field) ? menu.promptText() : menu.invalidPrompt();
                if (text == null || text.isBlank()) {
                    continue;
                }
                SpeechRequest request;
                try {
                    request = request(text, ivr.defaultLanguage(), voice, ivr.ttsModel());
                } catch (InvalidValueException e) {
                    report.add(new WarmReport.PromptResult(menu.menuId(), field, text, null,
                            WarmReport.Outcome.FAILED, null, e.getMessage()));
                    continue;
                }
                String hash = keyOf(request);
                WarmReport.PromptResult same = done.get(hash);
                if (same != null) {
                    report.add(new WarmReport.PromptResult(menu.menuId(), field, request.text(), hash,
                            same.outcome() == WarmReport.Outcome.FAILED ? same.outcome() : WarmReport.Outcome.CACHED,
                            same.file(), same.error()));
                    continue;
                }
                WarmReport.PromptResult line;
                if (refused != null) {
                    line = new WarmReport.PromptResult(menu.menuId(), field, request.text(), hash,
                            WarmReport.Outcome.FAILED, null, "not tried: " + refused);
                } else {
                    try {
                        line = warmOne(menu.menuId(), field, request, hash, account);
                    } catch (TtsAuthenticationException e) {
                        // Every further prompt would be refused the same way; one refusal is enough to report.
                        refused = e.getMessage();
                        line = new WarmReport.PromptResult(menu.menuId(), field, request.text(), hash,
                                WarmReport.Outcome.FAILED, null, refused);
                    }
                }
                done.put(hash, line);
                report.add(line);
            }
        }
        return new WarmReport(ivr.name(), report);
    }

    /** Warms one prompt; failures other than a refused key become a failed line. */
    private WarmReport.PromptResult warmOne(String menuId, String field, SpeechRequest request, String hash,
            SpeechAccount account) {
        try {
            Optional<Path> ready = ready(hash);
            if (ready.isPresent()) {
                return new WarmReport.PromptResult(menuId, field, request.text(), hash, WarmReport.Outcome.CACHED,
                        ready.get().toString(), null);
            }
            Obtained got = obtain(hash, request, account);
            return new WarmReport.PromptResult(menuId, field, request.text(), hash,
                    got.synthesized() ? WarmReport.Outcome.SYNTHESIZED : WarmReport.Outcome.CACHED,
                    got.path().toString(), null);
        } catch (TtsAuthenticationException e) {
            throw e;
        } catch (TtsException | UnavailableException e) {
            return new WarmReport.PromptResult(menuId, field, request.text(), hash, WarmReport.Outcome.FAILED, null,
                    e.getMessage());
        }
    }

    /**
     * Writes the hits counted since the last flush, in one statement. Runs on its own every
     * {@link Builder#hitFlushInterval(Duration)}; call it to make counts visible at once.
     *
     * @return how many entries were updated
     */
    public int flushHits() {
        Map<String, Integer> counts = pendingHits.drain();
        if (counts.isEmpty()) {
            return 0;
        }
        try {
            int updated = dao.recordHits(counts);
            hitFlushes.increment();
            return updated;
        } catch (RuntimeException e) {
            pendingHits.restore(counts);
            throw e;
        }
    }

    /**
     * Deletes the least valuable entries (fewest hits, then least recently used), row first and then file, until the
     * cached files' total size is at most {@code budgetBytes}. Pending hits are flushed first so the order is current.
     */
    public EvictionResult evictTo(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes must not be negative");
        }
        flushHits();
        long total = dao.totalBytes();
        int removed = 0;
        long freed = 0;
        while (total > budgetBytes) {
            List<TtsCacheEntry> candidates = dao.evictionCandidates(EVICTION_BATCH);
            if (candidates.isEmpty()) {
                break;
            }
            List<TtsCacheEntry> victims = new ArrayList<>();
            for (TtsCacheEntry e : candidates) {
                if (total <= budgetBytes) {
                    break;
                }
                victims.add(e);
                long size = e.fileSizeBytes() == null ? 0 : e.fileSizeBytes();
                total -= size;
                freed += size;
            }
            // Rows go first: once a row is gone nobody is sent to its file, and a file left behind by a crash here
            // is an orphan that sweep() removes.
            dao.deleteAll(victims.stream().map(TtsCacheEntry::textHash).toList());
            for (TtsCacheEntry e : victims) {
                deleteQuietly(Path.of(e.filePath()));
            }
            removed += victims.size();
        }
        if (removed > 0) {
            LOG.info("TTS cache: evicted {} entries ({} bytes) to fit {} bytes", removed, freed, budgetBytes);
        }
        return new EvictionResult(removed, freed, Math.max(total, 0));
    }

    /**
     * Brings files and rows back in line: deletes rows whose file is missing, audio files under the directory that
     * no row points at, and temporary files left by crashed writes. Files younger than
     * {@link Builder#sweepGrace(Duration)} are spared, because a synthesis renames its file a moment before it writes
     * the row.
     */
    public SweepResult sweep() {
        Set<Path> referenced = new HashSet<>();
        List<String> rowsWithoutFile = new ArrayList<>();
        Integer after = null;
        do {
            Page<TtsCacheEntry, Integer> page = dao.list(SWEEP_PAGE, after);
            for (TtsCacheEntry e : page.items()) {
                Path file = Path.of(e.filePath()).toAbsolutePath().normalize();
                if (Files.isRegularFile(file)) {
                    referenced.add(file);
                } else {
                    rowsWithoutFile.add(e.textHash());
                }
            }
            after = page.next();
        } while (after != null);
        int rows = dao.deleteAll(rowsWithoutFile);

        Instant cutoff = Instant.now().minus(sweepGrace);
        int files = 0;
        try (Stream<Path> walk = Files.walk(layout.root(), 3)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                boolean ours = CacheLayout.isTemp(file) || CacheLayout.hashOf(file).isPresent();
                if (ours && Files.isRegularFile(file) && !referenced.contains(file) && olderThan(file, cutoff)) {
                    deleteQuietly(file);
                    files++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new TtsStorageException(null, "cannot walk the cache directory " + layout.root() + ": " + e, e);
        }
        if (rows > 0 || files > 0) {
            LOG.info("TTS cache sweep: removed {} rows without a file and {} files without a row", rows, files);
        }
        return new SweepResult(files, rows);
    }

    /** Size from the database (all processes) and this process's counters. */
    public CacheStats stats() {
        return new CacheStats(dao.count(), dao.totalBytes(), hits.sum(), misses.sum(), upstreamCalls.sum(),
                upstreamFailures.sum(), pendingHits.pendingHits(), hitFlushes.sum());
    }

    /** Stops the upkeep thread and writes the pending hits. Lookups keep working; later hits are not written. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flushHits();
        } catch (RuntimeException e) {
            LOG.warn("TTS cache: could not write {} pending hits on close: {}", pendingHits.pendingHits(),
                    e.getMessage());
        }
    }

    private void upkeep() {
        try {
            flushHits();
            if (budgetBytes > 0) {
                evictTo(budgetBytes);
            }
        } catch (RuntimeException e) {
            // Counts stay pending and eviction runs next time; a passing database outage must not stop the thread.
            LOG.warn("TTS cache upkeep failed: {}", e.getMessage());
        }
    }

    private void hit(String hash) {
        hits.increment();
        pendingHits.record(hash);
    }

    /** The file of {@code hash} when both its row and its file exist. */
    private Optional<Path> ready(String hash) {
        return dao.findByHash(hash).map(e -> Path.of(e.filePath())).filter(Files::isRegularFile);
    }

    /** Joins the synthesis of {@code hash} running in this process, or runs it. */
    private Obtained obtain(String hash, SpeechRequest request, SpeechAccount account) {
        CompletableFuture<Obtained> mine = new CompletableFuture<>();
        CompletableFuture<Obtained> running = inFlight.putIfAbsent(hash, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Obtained got = synthesizeExclusively(hash, request, account);
            mine.complete(got);
            return got;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(hash, mine);
        }
    }

    private static Obtained await(CompletableFuture<Obtained> running) {
        try {
            Obtained got = running.get();
            // The leader synthesized; for this caller the audio was simply there when it was done waiting.
            return new Obtained(got.path(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsUnavailableException(null, 0, "interrupted while waiting for a synthesis", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new TtsUnavailableException(null, 0, "synthesis failed: " + cause, cause);
        }
    }

    @SuppressWarnings("try") // the advisory lock is held for the scope of the try, never read
    private Obtained synthesizeExclusively(String hash, SpeechRequest request, SpeechAccount account) {
        try {
            syntheses.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsUnavailableException(account.ivrName(), 0, "interrupted while waiting to synthesize", e);
        }
        try (AdvisoryLock lock = AdvisoryLock.acquire(dataSource, PromptKey.lockNumber(hash))) {
            // Another process may have finished this prompt while we waited for the lock.
            Optional<Path> ready = ready(hash);
            if (ready.isPresent()) {
                return new Obtained(ready.get(), false);
            }
            Path target = layout.fileFor(hash, request.format().wireName());
            // A text the table would refuse (control characters) must fail before it costs an upstream call.
            entry(hash, request, target, 0).validate();
            long size = writeAtomically(hash, target, request, account);
            try {
                dao.upsert(entry(hash, request, target, size));
            } catch (RuntimeException e) {
                // Without its row the file would be an orphan nobody evicts; the caller sees the database error.
                deleteQuietly(target);
                throw e;
            }
            return new Obtained(target, true);
        } finally {
            syntheses.release();
        }
    }

    private static TtsCacheEntry entry(String hash, SpeechRequest request, Path file, long size) {
        return new TtsCacheEntry(null, hash, request.text(), request.language(), request.voice(), request.model(),
                file.toString(), size > Integer.MAX_VALUE ? null : (int) size, null, null, 0);
    }

    /** Synthesizes into a temporary file beside {@code target} and renames it; returns the size. */
    private long writeAtomically(String hash, Path target, SpeechRequest request, SpeechAccount account) {
        Path temp = null;
        try {
            temp = layout.newTempFile(target, hash);
            Path part = temp;
            upstreamCalls.increment();
            try {
                provider.synthesize(request, account, () -> Files.newOutputStream(part,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
            } catch (RuntimeException e) {
                upstreamFailures.increment();
                throw e;
            }
            if (request.format() == SpeechFormat.WAV) {
                String problem;
                try (java.io.InputStream in = Files.newInputStream(temp)) {
                    problem = WavCheck.problem(in.readNBytes(WavCheck.HEADER_BYTES));
                }
                if (problem != null) {
                    upstreamFailures.increment();
                    throw new TtsUnavailableException(account.ivrName(), 0, "the provider's answer is not a WAV "
                            + "FreeSWITCH can play (" + problem + "); not cached", null);
                }
            }
            // Forced before the rename: otherwise a power cut could leave the final name on an empty file.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            long size = Files.size(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return size;
        } catch (AtomicMoveNotSupportedException e) {
            throw new TtsStorageException(account.ivrName(), "the cache directory does not support atomic renames", e);
        } catch (IOException e) {
            throw new TtsStorageException(account.ivrName(), "cannot write " + target + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static boolean olderThan(Path file, Instant cutoff) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return !modified.toInstant().isAfter(cutoff);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            LOG.warn("TTS cache: cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** A file and whether this call synthesized it. */
    private record Obtained(Path path, boolean synthesized) {
    }

    /** Configures a {@link PromptCache}; setters validate at once. */
    public static final class Builder {
        private Database database;
        private SpeechProvider provider;
        private Path directory;
        private SpeechFormat format = SpeechFormat.WAV;
        private long budgetBytes;
        private Duration hitFlushInterval = Duration.ofSeconds(10);
        private Duration sweepGrace = Duration.ofMinutes(10);
        private int maxConcurrentSyntheses = 4;

        private Builder() {
        }

        /** The database holding {@code ivr_tts_cache}; its pool also lends the connections for synthesis locks. */
        public Builder database(Database db) {
            this.database = Objects.requireNonNull(db, "database");
            return this;
        }

        /** The engine misses are synthesized with. */
        public Builder provider(SpeechProvider speechProvider) {
            this.provider = Objects.requireNonNull(speechProvider, "provider");
            return this;
        }

        /** Where audio files are kept; created if missing. */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /** The format of prompts looked up or warmed by text; default {@code wav}. */
        public Builder format(SpeechFormat speechFormat) {
            this.format = Objects.requireNonNull(speechFormat, "format");
            return this;
        }

        /** Evict down to this many bytes after each hit flush; 0 (default) leaves eviction to the caller. */
        public Builder budgetBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("budgetBytes must not be negative, got " + bytes);
            }
            this.budgetBytes = bytes;
            return this;
        }

        /** How often counted hits are written (and the budget enforced); default 10 s. */
        public Builder hitFlushInterval(Duration interval) {
            if (interval == null || interval.toMillis() < 1) {
                throw new IllegalArgumentException("hitFlushInterval must be at least 1 ms, got " + interval);
            }
            this.hitFlushInterval = interval;
            return this;
        }

        /** How old an unreferenced file must be before {@link #sweep()} deletes it; default 10 minutes. */
        public Builder sweepGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("sweepGrace must not be negative, got " + grace);
            }
            this.sweepGrace = grace;
            return this;
        }

        /** How many different prompts this process synthesizes at once (1 to 64); default 4. */
        public Builder maxConcurrentSyntheses(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("maxConcurrentSyntheses must be from 1 to 64, got " + n);
            }
            this.maxConcurrentSyntheses = n;
            return this;
        }

        /** Directory, format, budget and flush interval from {@code settings}. */
        public Builder settings(TtsSettings settings) {
            return directory(settings.directory())
                    .format(settings.format())
                    .budgetBytes(settings.budgetBytes())
                    .hitFlushInterval(settings.hitFlushInterval());
        }

        public PromptCache build() {
            Objects.requireNonNull(database, "database is required");
            Objects.requireNonNull(provider, "provider is required");
            Objects.requireNonNull(directory, "directory is required");
            return new PromptCache(this);
        }
    }
}

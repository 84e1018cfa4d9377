package io.ominis.directory;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.ominis.core.OminisException;
import io.ominis.core.directory.SipUser;
import io.ominis.db.ChangeListener;
import io.ominis.db.ExtensionDao;
import io.ominis.db.StoredSipUser;
import io.ominis.xmlcurl.XmlDocument;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SIP users for mod_xml_curl within a time bound, from memory when it can. Answers (including "no such user")
 * are cached until a change notification for that number arrives, so a change by any writer is seen within moments;
 * concurrent misses for one number share one query; while the database is away, cached users keep being served and
 * uncached ones are reported unavailable once the bound has passed, instead of stalling FreeSWITCH's SIP threads.
 *
 * <p>Memory: a cached user is kept as its row ({@link StoredSipUser}, JSON as text), and rendered documents are kept
 * with it only up to a budget in bytes over all users. So a million cached users fit in well under a gigabyte, while
 * a directory of the usual size is answered from rendered documents alone.
 */
public final class DirectoryService {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryService.class);

    /** What a rendered document is counted as beyond its bytes: its entry, key and holders. */
    static final int RENDERED_OVERHEAD_BYTES = 200;

    /** The outcome of a lookup. */
    public sealed interface Result {
        /** The user exists (whatever its status), with the digest hashes kept for it. */
        final class Found implements Result {
            private final StoredSipUser stored;
            private final Function<StoredSipUser, SipUser> parse;
            private final Memo memo;

            Found(StoredSipUser stored, Function<StoredSipUser, SipUser> parse, Memo memo) {
                this.stored = stored;
                this.parse = parse;
                this.memo = memo;
            }

            /** The user, parsed from its stored form each time this is called: call it once per answer. */
            public SipUser user() {
                return parse.apply(stored);
            }

            /** The user as stored, e.g. to check its number or status without parsing its settings. */
            public StoredSipUser stored() {
                return stored;
            }

            /** Where the rendered document for this answer may be kept; null when nothing is cached. */
            public Memo memo() {
                return memo;
            }
        }

        /** No user has this number. */
        record Absent() implements Result {
        }

        /**
         * The database did not answer.
         *
         * @param timedOut true when the bound passed, false when the lookup failed
         */
        record Unavailable(String reason, boolean timedOut) implements Result {
        }
    }

    /**
     * The rendered document of one cached answer, for the last request it was rendered for. Rendering (Woodstox, the
     * JSON settings) is most of the CPU a cached lookup costs, and FreeSWITCH asks for the same user the same way again
     * and again. The document lives in the cache entry, so the notification that drops the answer drops it too.
     */
    public final class Memo {
        private final String number;
        private final Entry entry;

        private Memo(String number, Entry entry) {
            this.number = number;
            this.entry = entry;
        }

        /** The document rendered for {@code key}, rendering it with {@code render} when none is kept for it. */
        public XmlDocument get(Object key, Supplier<XmlDocument> render) {
            Rendered last = entry.rendered;
            if (last != null && last != Rendered.DROPPED && last.key().equals(key)) {
                return last.document();
            }
            XmlDocument fresh = render.get();
            if (last != Rendered.DROPPED) {
                keep(number, entry, last, new Rendered(key, fresh));
            }
            return fresh;
        }
    }

    /** One kept document and the request it was rendered for. */
    private record Rendered(Object key, XmlDocument document) {
        /** In place of the document of an answer no longer cached: none may be kept for it any more. */
        static final Rendered DROPPED = new Rendered(null, null);

        long bytes() {
            return document == null ? 0 : document.length() + RENDERED_OVERHEAD_BYTES;
        }
    }

    /** One cached answer: the user, or null for "no such user", and the document kept for it, if any. */
    private static final class Entry {
        private static final AtomicReferenceFieldUpdater<Entry, Rendered> RENDERED =
                AtomicReferenceFieldUpdater.newUpdater(Entry.class, Rendered.class, "rendered");

        final StoredSipUser user;
        volatile Rendered rendered;

        Entry(StoredSipUser user) {
            this.user = user;
        }
    }

    private final ExtensionDao extensions;
    /** {@code extensions::sipUser}, made once: a method reference is a new object each time it is evaluated. */
    private final Function<StoredSipUser, SipUser> parse;
    private final Duration bound;
    private final Executor executor;
    private final AsyncLoadingCache<String, Entry> cache;
    private final long renderedBudget;
    private final AtomicLong renderedBytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder invalidations = new LongAdder();

    /**
     * @param cacheSize     most numbers kept, or 0 for no cache (every lookup queries, on the caller's thread, still
     *                      within the bound)
     * @param renderedBytes most bytes of rendered documents kept in the cached answers (0 keeps none); documents are
     *                      kept for the users rendered first, until an answer is dropped and frees its share. FreeSWITCH
     *                      asks for every user at about the same rate (each phone re-registers), so keeping the same
     *                      documents serves as many requests as keeping the latest, without rendering and discarding
     *                      documents all the time
     * @param executor      where cache misses query, so that a query the bound gave up waiting for still fills the cache
     */
    public DirectoryService(ExtensionDao extensions, Duration bound, int cacheSize, long renderedBytes,
            Executor executor) {
        this.extensions = extensions;
        this.parse = extensions::sipUser;
        this.bound = bound;
        this.executor = executor;
        this.renderedBudget = Math.max(0, renderedBytes);
        this.cache = cacheSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                // The cache's upkeep runs on the thread that asked, a few microseconds now and then; on the executor
                // it woke a thread for every few hits, a tenth of the CPU of a cached lookup under load.
                .executor(Runnable::run)
                .removalListener((String number, Entry entry, RemovalCause cause) -> {
                    if (entry != null) {
                        drop(entry);
                    }
                })
                .buildAsync((number, ignored) -> CompletableFuture.supplyAsync(
                        () -> new Entry(extensions.findStoredSipUser(number).orElse(null)), executor));
    }

    /**
     * Keeps {@code fresh} in {@code entry} in place of {@code last} if the budget allows and no other request has
     * changed the entry meanwhile; the budget may be passed by the documents of the requests rendering at that moment.
     */
    private void keep(String number, Entry entry, Rendered last, Rendered fresh) {
        long growth = fresh.bytes() - (last == null ? 0 : last.bytes());
        if (renderedBytes.get() + growth > renderedBudget || !Entry.RENDERED.compareAndSet(entry, last, fresh)) {
            return;
        }
        renderedBytes.addAndGet(growth);
        // an answer dropped before it was ever cached (invalidated while its query ran) is never told of its removal
        CompletableFuture<Entry> cached = cache.getIfPresent(number);
        if (cached == null || cached.getNow(null) != entry) {
            drop(entry);
        }
    }

    /** Frees the share of an answer no longer cached, once; nothing is kept for it afterwards. */
    private void drop(Entry entry) {
        Rendered was = Entry.RENDERED.getAndSet(entry, Rendered.DROPPED);
        if (was != null) {
            renderedBytes.addAndGet(-was.bytes());
        }
    }

    /** Looks {@code number} up, waiting at most the configured bound. */
    public Result find(String number) {
        if (cache == null) {
            misses.increment();
            return uncached(number);
        }
        // Already answered: skip the timed wait, which costs more than the lookup itself.
        Result cached = findCached(number);
        if (cached != null) {
            return cached;
        }
        misses.increment();
        CompletableFuture<Entry> future = cache.get(number);
        try {
            return result(number, future.get(bound.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return unavailableAfterBound();
        } catch (ExecutionException e) {
            return failed(number, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unavailable("interrupted", false);
        }
    }

    /**
     * Looks {@code number} up without blocking the caller: the future is complete at once for a cached answer, and
     * otherwise completes on the lookup executor when the database answers, or with a timed-out
     * {@link Result.Unavailable} at the bound. No thread waits for the database meanwhile.
     */
    public CompletableFuture<Result> findAsync(String number) {
        Result cached = findCached(number);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        misses.increment();
        CompletableFuture<Result> answer;
        try {
            answer = cache == null ? CompletableFuture.supplyAsync(() -> uncached(number), executor)
                    : cache.get(number).handle((entry, failure) -> failure == null ? result(number, entry)
                            : failed(number, failure instanceof CompletionException ? failure.getCause() : failure));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Result.Unavailable("every lookup thread is busy and the "
                    + "queue is full", false));
        }
        return answer.completeOnTimeout(unavailableAfterBound(), bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Result.Unavailable failed(String number, Throwable failure) {
        LOG.debug("directory lookup of {} failed: {}", number, failure.getMessage());
        return new Result.Unavailable(failure.getMessage(), false);
    }

    /**
     * The answer for {@code number} if the cache holds it, or {@code null} when finding it would mean asking the
     * database (not cached, a query still running, or no cache): never blocks, so a server may call it on a thread
     * that must not wait. A {@code null} is not counted; the {@link #find} that follows counts the miss.
     */
    Result findCached(String number) {
        CompletableFuture<Entry> future = cache == null ? null : cache.getIfPresent(number);
        if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
            return null;
        }
        hits.increment();
        return result(number, future.join());
    }

    /**
     * Without a cache there is nothing a late answer could fill, so the query runs on the caller's thread and gives
     * up at the bound itself: no hand-off to another thread and back, which cost more than the query.
     */
    private Result uncached(String number) {
        long start = System.nanoTime();
        try {
            return extensions.findStoredSipUser(number, bound)
                    .<Result>map(user -> new Result.Found(user, parse, null))
                    .orElseGet(Result.Absent::new);
        } catch (OminisException e) {
            if (System.nanoTime() - start >= bound.toNanos()) {
                return unavailableAfterBound();
            }
            LOG.debug("directory lookup of {} failed: {}", number, e.getMessage());
            return new Result.Unavailable(e.getMessage(), false);
        }
    }

    private Result.Unavailable unavailableAfterBound() {
        return new Result.Unavailable("no answer from the database within " + bound.toMillis() + " ms", true);
    }

    private Result result(String number, Entry entry) {
        return entry.user == null ? new Result.Absent()
                : new Result.Found(entry.user, parse, new Memo(number, entry));
    }

    /**
     * Applies one change notification: drops the cached answer for that number (or all, for a whole table). The
     * digest hashes of an extension notify as {@code extensions} too.
     */
    public void onChange(ChangeListener.Change change) {
        if (cache == null || !"extensions".equals(change.table())) {
            return;
        }
        invalidations.increment();
        if (change.wholeTable()) {
            cache.synchronous().invalidateAll();
        } else {
            cache.synchronous().invalidate(change.key());
        }
    }

    /**
     * Drops the cached answer for {@code number} at once, for a writer in this process that has just committed a
     * change to it (its own notification may be late or, on a half-open listener connection, never come). A lookup
     * already running for the number is dropped too, so it cannot put the old answer back.
     */
    public void invalidate(String number) {
        if (cache != null) {
            invalidations.increment();
            cache.synchronous().invalidate(number);
        }
    }

    /** Drops everything cached; called when change notifications may have been missed. */
    public void flush() {
        if (cache != null) {
            invalidations.increment();
            cache.synchronous().invalidateAll();
        }
    }

    /** Numbers currently cached (an estimate). */
    public long size() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }

    /** Bytes of rendered documents kept, as counted against the budget. */
    public long renderedBytes() {
        return renderedBytes.get();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long invalidations() {
        return invalidations.sum();
    }

    /** Whether answers are cached at all. */
    public boolean caching() {
        return cache != null;
    }
}

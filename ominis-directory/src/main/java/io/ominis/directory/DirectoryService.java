package io.ominis.directory;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ominis.core.directory.SipUser;
import io.ominis.db.ChangeListener;
import io.ominis.db.ExtensionDao;
import io.ominis.xmlcurl.XmlDocument;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SIP users for mod_xml_curl within a time bound, from memory when it can. Answers (including "no such user")
 * are cached until a change notification for that number arrives, so a change by any writer is seen within moments;
 * concurrent misses for one number share one query; while the database is away, cached users keep being served and
 * uncached ones are reported unavailable once the bound has passed, instead of stalling FreeSWITCH's SIP threads.
 */
public final class DirectoryService {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryService.class);

    /** The outcome of a lookup. */
    public sealed interface Result {
        /**
         * The user exists (whatever its status), with the digest hashes kept for it.
         *
         * @param memo where the rendered document for this cached answer may be kept; null when nothing is cached
         */
        record Found(SipUser user, Memo memo) implements Result {
            /** A found user whose rendering is not kept. */
            public Found(SipUser user) {
                this(user, null);
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
     * The rendered document of one cached answer, for the last request it was rendered for. It lives inside the cache
     * entry, so the notification that drops the entry drops the rendering too; rendering (Woodstox, JSON columns) is
     * most of the CPU a cached lookup costs, and FreeSWITCH asks for the same user the same way again and again.
     */
    public static final class Memo {
        private record Rendered(Object key, XmlDocument document) {
        }

        /** Written as one reference, so a reader never pairs one request's key with another's document. */
        private volatile Rendered rendered;

        /** The document rendered for {@code key}, rendering it with {@code render} when the last one was for another. */
        public XmlDocument get(Object key, Supplier<XmlDocument> render) {
            Rendered last = rendered;
            if (last != null && last.key().equals(key)) {
                return last.document();
            }
            XmlDocument fresh = render.get();
            rendered = new Rendered(key, fresh);
            return fresh;
        }
    }

    /** One cached answer: the user, if any, and its memo. */
    private record Entry(Optional<SipUser> user, Memo memo) {
        Entry(Optional<SipUser> user) {
            this(user, new Memo());
        }
    }

    private final ExtensionDao extensions;
    private final Duration bound;
    private final Executor executor;
    private final AsyncLoadingCache<String, Entry> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder invalidations = new LongAdder();

    /**
     * @param cacheSize most numbers kept, or 0 for no cache (every lookup queries, still within the bound)
     */
    public DirectoryService(ExtensionDao extensions, Duration bound, int cacheSize, Executor executor) {
        this.extensions = extensions;
        this.bound = bound;
        this.executor = executor;
        this.cache = cacheSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                // The cache's upkeep runs on the thread that asked, a few microseconds now and then; on the executor
                // it woke a thread for every few hits, a tenth of the CPU of a cached lookup under load.
                .executor(Runnable::run)
                .buildAsync((number, ignored) -> CompletableFuture.supplyAsync(
                        () -> new Entry(extensions.findSipUser(number)), executor));
    }

    /** Looks {@code number} up, waiting at most the configured bound. */
    public Result find(String number) {
        CompletableFuture<Entry> future;
        if (cache == null) {
            misses.increment();
            future = CompletableFuture.supplyAsync(() -> new Entry(extensions.findSipUser(number), null), executor);
        } else {
            future = cache.getIfPresent(number);
            if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
                hits.increment();
                // Already answered: skip the timed wait, which costs more than the lookup itself.
                return result(future.join());
            }
            misses.increment();
            future = cache.get(number);
        }
        try {
            return result(future.get(bound.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return new Result.Unavailable("no answer from the database within " + bound.toMillis() + " ms", true);
        } catch (ExecutionException e) {
            LOG.debug("directory lookup of {} failed: {}", number, e.getCause().getMessage());
            return new Result.Unavailable(e.getCause().getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unavailable("interrupted", false);
        }
    }

    private static Result result(Entry entry) {
        return entry.user().<Result>map(u -> new Result.Found(u, entry.memo())).orElseGet(Result.Absent::new);
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

package io.ominis.server.xmlcurl;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ominis.core.directory.Extension;
import io.ominis.db.ChangeListener;
import io.ominis.db.ExtensionDao;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
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
        /** The user exists (whatever its status). */
        record Found(Extension extension) implements Result {
        }

        /** No user has this number. */
        record Absent() implements Result {
        }

        /** The database did not answer within the bound. */
        record Unavailable(String reason) implements Result {
        }
    }

    private final ExtensionDao extensions;
    private final Duration bound;
    private final Executor executor;
    private final AsyncLoadingCache<String, Optional<Extension>> cache;
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
                .executor(executor)
                .buildAsync((number, ex) -> CompletableFuture.supplyAsync(() -> extensions.find(number), ex));
    }

    /** Looks {@code number} up, waiting at most the configured bound. */
    public Result find(String number) {
        CompletableFuture<Optional<Extension>> future;
        if (cache == null) {
            misses.increment();
            future = CompletableFuture.supplyAsync(() -> extensions.find(number), executor);
        } else {
            future = cache.getIfPresent(number);
            if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
                hits.increment();
            } else {
                misses.increment();
                future = cache.get(number);
            }
        }
        try {
            Optional<Extension> found = future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return found.<Result>map(Result.Found::new).orElseGet(Result.Absent::new);
        } catch (TimeoutException e) {
            return new Result.Unavailable("no answer from the database within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            LOG.debug("directory lookup of {} failed: {}", number, e.getCause().getMessage());
            return new Result.Unavailable(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unavailable("interrupted");
        }
    }

    /** Applies one change notification: drops the cached answer for that number (or all, for a whole table). */
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

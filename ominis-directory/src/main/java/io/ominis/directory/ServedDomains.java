package io.ominis.directory;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ominis.db.ChangeListener;
import io.ominis.db.DomainDao;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which directory domains are served, held in memory and dropped on any change to {@code domains} (a change
 * notification, or a listener resync), so every directory request does not cost a query. The set is loaded once for
 * concurrent askers, within the lookup bound; while the database is away an unloaded set is {@link Verdict#TIMED_OUT}
 * or {@link Verdict#FAILED}.
 */
public final class ServedDomains {

    /** Whether a domain is served. */
    public enum Verdict {
        /** It is one of the configured domains, or none is configured (every domain is served, as before domains). */
        SERVED,
        /** Domains are configured and it is not one of them. */
        UNSERVED,
        /** The set was not read within the bound (the database is slow or away). */
        TIMED_OUT,
        /** Reading the set failed. */
        FAILED
    }

    private static final String KEY = "domains";

    private final Duration bound;
    private final AsyncLoadingCache<String, Set<String>> cache;

    /** Loads through {@code domains} on {@code executor}, waiting at most {@code bound}. */
    public ServedDomains(DomainDao domains, Duration bound, Executor executor) {
        this.bound = bound;
        this.cache = Caffeine.newBuilder().maximumSize(1).executor(executor)
                .buildAsync((key, ex) -> CompletableFuture.supplyAsync(() -> Set.copyOf(domains.names()), ex));
    }

    /** The verdict on every name given (a directory request's domain and its digest realm): all must be served. */
    public Verdict judge(String... names) {
        Set<String> served;
        CompletableFuture<Set<String>> future = cache.get(KEY);
        try {
            served = future.isDone() ? future.join() : future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Verdict.TIMED_OUT;
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            return Verdict.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.FAILED;
        }
        return judge(served, names);
    }

    /**
     * The verdict without blocking the caller: at once when the set is in memory, otherwise once it is read (on the
     * lookup executor), or {@link Verdict#TIMED_OUT} at the bound.
     */
    public CompletableFuture<Verdict> judgeAsync(String... names) {
        Verdict cached = judgeCached(names);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Verdict> verdict;
        try {
            verdict = cache.get(KEY).handle((served, failure) -> failure == null ? judge(served, names)
                    : Verdict.FAILED);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Verdict.FAILED);
        }
        return verdict.completeOnTimeout(Verdict.TIMED_OUT, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The verdict if the set is in memory, or {@code null} when it would have to be read first: never blocks, for a
     * thread that must not wait.
     */
    Verdict judgeCached(String... names) {
        CompletableFuture<Set<String>> future = cache.getIfPresent(KEY);
        if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
            return null;
        }
        return judge(future.join(), names);
    }

    private static Verdict judge(Set<String> served, String... names) {
        if (served.isEmpty()) {
            return Verdict.SERVED;
        }
        for (String name : names) {
            if (name != null && !served.contains(name.toLowerCase(Locale.ROOT))) {
                return Verdict.UNSERVED;
            }
        }
        return Verdict.SERVED;
    }

    /** Drops the set on a change to {@code domains}. */
    public void onChange(ChangeListener.Change change) {
        if ("domains".equals(change.table())) {
            flush();
        }
    }

    /** Drops the set; the next request reads it again. */
    public void flush() {
        cache.synchronous().invalidateAll();
    }
}

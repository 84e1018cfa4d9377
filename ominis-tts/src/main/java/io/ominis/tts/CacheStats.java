package io.ominis.tts;

/**
 * A snapshot of a {@link PromptCache}: the size of the shared cache as the database has it, and this process's
 * counters since the cache was built.
 *
 * @param entries          cached prompts (rows), all processes
 * @param totalBytes       summed size of their files, all processes
 * @param hits             requests and lookups of this process served from an existing file
 * @param misses           requests and lookups of this process that found nothing ready
 * @param upstreamCalls    syntheses this process asked its provider for
 * @param upstreamFailures of those, the ones that failed
 * @param pendingHits      hits counted in memory and not yet written to {@code access_count}
 * @param hitFlushes       statements written to record hits (one per flush that had any)
 */
public record CacheStats(
        long entries,
        long totalBytes,
        long hits,
        long misses,
        long upstreamCalls,
        long upstreamFailures,
        long pendingHits,
        long hitFlushes) {
}

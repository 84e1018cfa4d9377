package io.ominis.tts.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hits counted in memory between flushes, so serving a cached prompt costs no database write. Draining removes each
 * hash's count atomically, so a hit that races with a flush lands in this flush or the next, never in neither.
 */
public final class HitCounter {

    private final ConcurrentHashMap<String, Integer> pending = new ConcurrentHashMap<>();

    /** Counts one hit of {@code hash}. */
    public void record(String hash) {
        pending.merge(hash, 1, HitCounter::saturatingAdd);
    }

    /** Takes every pending count out of the counter. */
    public Map<String, Integer> drain() {
        Map<String, Integer> out = new HashMap<>();
        for (String hash : pending.keySet()) {
            Integer n = pending.remove(hash);
            if (n != null) {
                out.put(hash, n);
            }
        }
        return out;
    }

    /** Puts counts back after a failed flush, adding to what arrived meanwhile. */
    public void restore(Map<String, Integer> counts) {
        counts.forEach((hash, n) -> pending.merge(hash, n, HitCounter::saturatingAdd));
    }

    /** The number of hits not yet flushed. */
    public long pendingHits() {
        long sum = 0;
        for (int n : pending.values()) {
            sum += n;
        }
        return sum;
    }

    private static Integer saturatingAdd(Integer a, Integer b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }
}

package io.ominis.api.tts;

import io.ominis.tts.PromptWarmer;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.ominis.api.rest.ApiRouter;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.rest.Operation;
import io.ominis.api.rest.QueryParams;
import io.ominis.core.ivr.TtsCacheEntry;
import io.ominis.db.TtsCacheDao;
import io.ominis.tts.CacheStats;
import io.ominis.tts.PromptCache;
import io.ominis.tts.WarmReport;
import java.util.List;

/**
 * {@code POST /v1/ivrs/{name}/tts/warm} (synthesize an IVR's prompts now and report each) and {@code GET /v1/tts/cache}
 * (entries, total size, hit ratio).
 */
public final class TtsRoutes {

    /**
     * The cache at a glance.
     *
     * @param hitRatio hits ÷ (hits + misses) since start, 0 before the first lookup
     */
    @NullMarked
    public record CacheView(long entries, long totalBytes, long hits, long misses, double hitRatio, long upstreamCalls,
            long upstreamFailures, List<EntryView> recent) {
    }

    /** One cached prompt, without its file's location on disk beyond what FreeSWITCH is told. */
    @NullMarked
    public record EntryView(String textHash, String text, @Nullable String language, @Nullable String voice,
            @Nullable String model, @Nullable String filePath, @Nullable Integer fileSizeBytes, int accessCount,
            java.time.@Nullable Instant lastAccessedAt) {
    }

    private final PromptWarmer warmer;
    private final PromptCache cache;
    private final TtsCacheDao entries;

    private final JsonBodies bodies;

    /** The routes over the prompt cache; answers are written by {@code bodies}. */
    public TtsRoutes(PromptWarmer warmer, PromptCache cache, TtsCacheDao entries, JsonBodies bodies) {
        this.bodies = bodies;
        this.warmer = warmer;
        this.cache = cache;
        this.entries = entries;
    }

    public void register(ApiRouter router) {
        router.add(Operation.json(POST, "/v1/ivrs/{name}/tts/warm", "tts",
                        "Synthesize every prompt of the IVR that is not cached yet; reports each prompt", WarmReport.class)
                .errors(404, 503), ctx -> bodies.send(ctx, warmer.warm(ctx.pathParam("name"))));
        router.add(Operation.json(GET, "/v1/tts/cache", "tts", "Cache entries (first page), total size and hit ratio",
                        CacheView.class)
                .query("limit", "integer", "entries to list, 1-1000, default 100"), ctx -> {
                    int limit = QueryParams.limit(ctx, 100, 1000);
                    CacheStats s = cache.stats();
                    long lookups = s.hits() + s.misses();
                    List<EntryView> recent = entries.list(limit, null).items().stream().map(TtsRoutes::view).toList();
                    bodies.send(ctx, new CacheView(s.entries(), s.totalBytes(), s.hits(), s.misses(),
                            lookups == 0 ? 0 : (double) s.hits() / lookups, s.upstreamCalls(), s.upstreamFailures(),
                            recent));
                });
    }

    private static EntryView view(TtsCacheEntry e) {
        return new EntryView(e.textHash(), e.text(), e.language(), e.voice(), e.model(), e.filePath(),
                e.fileSizeBytes(), e.accessCount(), e.lastAccessedAt());
    }
}

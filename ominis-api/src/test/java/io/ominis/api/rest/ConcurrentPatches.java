package io.ominis.api.rest;

import static io.ominis.api.rest.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.api.rest.ApiClient.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The concurrency checks every patchable resource shares: many clients patching one resource at once, each a
 * different field, lose none of them; a write with a stale {@code If-Match} is refused with 412 and changes nothing.
 */
final class ConcurrentPatches {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rounds of simultaneous patches; each round starts all its writers at once. */
    static final int ROUNDS = 4;

    /** Fewest writers per round. */
    static final int MIN_WRITERS = 8;

    private ConcurrentPatches() {
    }

    /**
     * Patches {@code path} from at least {@link #MIN_WRITERS} threads at once, writer {@code i} setting field
     * {@code i % fields} to {@code values.get(field).apply(k)} ({@code k} unique per write; JSON text, compared as JSON), and
     * asserts that every write answered 200 and that afterwards each field holds one of the values written to it in
     * that round: a lost update would leave a field as it was before the round.
     */
    static void assertNoLostField(ApiClient api, String path, Map<String, IntFunction<String>> values) {
        List<String> fields = new ArrayList<>(values.keySet());
        int writers = Math.max(MIN_WRITERS, fields.size() * 2);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Map<String, Set<JsonNode>> written = new LinkedHashMap<>();
                fields.forEach(f -> written.put(f, new HashSet<>()));
                CountDownLatch start = new CountDownLatch(1);
                ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    String field = fields.get(i % fields.size());
                    String value = values.get(field).apply(round * writers + i);
                    written.get(field).add(JSON.readTree(value));
                    running.add(pool.submit(() -> {
                        start.await();
                        replies.add(api.patch(path, "{\"" + field + "\": " + value + "}"));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertThat(replies).hasSize(writers).allSatisfy(r -> assertThat(r.code()).as("%s", r).isEqualTo(200));
                JsonNode after = api.get(path).json();
                for (String field : fields) {
                    assertThat(written.get(field)).as("round %d: field %s of %s", round, field, after)
                            .contains(after.path(field));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * GET answers with an ETag; a PATCH with it applies and changes it; a PATCH with the old one is refused (412,
     * field {@code If-Match}, the current ETag in the answer) and leaves {@code state} unchanged; a list naming the current one and {@code *} apply; a PUT with the stale one is
     * refused too.
     *
     * @param first  a patch to apply with the current ETag
     * @param second another patch, sent with the then stale ETag
     */
    static void assertIfMatch(ApiClient api, String path, String first, String second, Supplier<String> state) {
        Reply got = api.get(path);
        assertThat(got.etag()).as("ETag of %s", path).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(api.get(path).etag()).isEqualTo(got.etag());
        Reply applied = api.patchIfMatch(path, first, got.etag());
        assertThat(applied.code()).as("%s", applied).isEqualTo(200);
        assertThat(applied.etag()).isNotEqualTo(got.etag()).isEqualTo(api.get(path).etag());
        String before = state.get();
        Reply stale = api.patchIfMatch(path, second, got.etag());
        assertProblem(stale, 412, "If-Match");
        assertThat(stale.etag()).isEqualTo(applied.etag());
        assertThat(state.get()).isEqualTo(before);
        assertThat(api.patchIfMatch(path, second, "\"other\", " + applied.etag()).code()).isEqualTo(200);
        assertThat(api.patchIfMatch(path, first, "*").code()).isEqualTo(200);
        String changed = state.get();
        assertProblem(api.send("PUT", path, "{}", "application/json", Map.of("If-Match", got.etag())), 412, "If-Match");
        assertThat(state.get()).isEqualTo(changed);
    }
}

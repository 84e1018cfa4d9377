package io.ominis.api.rest;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Answers written from one immutable snapshot, kept until the next snapshot: between two changes of the live channels
 * every poll of the same listing has the same answer, so a dashboard's repeated GET is sent from the bytes written for
 * the first. At most {@link #MAX_ANSWERS} answers of at most {@link #MAX_BYTES} each are kept per snapshot.
 */
final class SnapshotAnswers {

    /** Most answers kept per snapshot. */
    static final int MAX_ANSWERS = 16;

    /** Largest answer kept. */
    static final int MAX_BYTES = 1024 * 1024;

    private record Kept(Object snapshot, ConcurrentHashMap<Object, JsonBodies.Encoded> answers) {
    }

    private final JsonBodies json;
    private final AtomicReference<Kept> kept = new AtomicReference<>();

    SnapshotAnswers(JsonBodies json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * The answer to {@code request} (a value with equals, naming everything the answer depends on besides the
     * snapshot) from {@code snapshot}: the bytes kept for it, or {@code body} written now.
     */
    JsonBodies.Encoded answer(Object snapshot, Object request, Supplier<Object> body) {
        Kept k = kept.get();
        if (k == null || k.snapshot() != snapshot) {
            k = new Kept(snapshot, new ConcurrentHashMap<>());
            kept.set(k);
        }
        JsonBodies.Encoded answer = k.answers().get(request);
        if (answer == null) {
            answer = new JsonBodies.Encoded(json.bytes(body.get()));
            if (k.answers().size() < MAX_ANSWERS && answer.bytes().length <= MAX_BYTES) {
                k.answers().putIfAbsent(request, answer);
            }
        }
        return answer;
    }
}

package io.ominis.tts;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link PromptCache#warm(io.ominis.core.ivr.IvrDefinition, String)}: one line per prompt of the IVR,
 * in menu order, prompt text before invalid prompt.
 *
 * @param ivrName the IVR
 * @param prompts one entry per prompt text of each menu
 */
@NullMarked
public record WarmReport(String ivrName, List<PromptResult> prompts) {

    public WarmReport {
        Objects.requireNonNull(ivrName, "ivrName");
        prompts = List.copyOf(prompts);
    }

    /** What happened to one prompt. */
    public enum Outcome {
        /** The audio was already cached. */
        CACHED,
        /** The audio was synthesized now. */
        SYNTHESIZED,
        /** The prompt could not be synthesized; {@link PromptResult#error()} says why. */
        FAILED
    }

    /**
     * One prompt.
     *
     * @param menuId  the menu it belongs to
     * @param field   {@code prompt_text} or {@code invalid_prompt}
     * @param text    the text as spoken (normalised)
     * @param hash    its cache key; null when the prompt itself is invalid
     * @param outcome what happened
     * @param file    the audio file, or null when it failed
     * @param error   why it failed (never containing a key), or null
     */
    public record PromptResult(String menuId, String field, String text, @Nullable String hash, Outcome outcome,
            @Nullable String file, @Nullable String error) {
    }

    /** How many prompts had this outcome. */
    public long count(Outcome outcome) {
        return prompts.stream().filter(p -> p.outcome() == outcome).count();
    }

    /** Whether every prompt now has audio. */
    public boolean complete() {
        return count(Outcome.FAILED) == 0;
    }
}

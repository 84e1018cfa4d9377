package io.ominis.tts;

/**
 * What {@link PromptCache#sweep()} did.
 *
 * @param orphanFilesRemoved audio files without a row, and abandoned temporary files, that were deleted
 * @param rowsRemoved        rows whose file was missing, deleted
 */
public record SweepResult(int orphanFilesRemoved, int rowsRemoved) {
}

package io.ominis.tts;

/**
 * What {@link PromptCache#evictTo(long)} did.
 *
 * @param removed    entries whose row and file were deleted
 * @param freedBytes their summed size
 * @param totalBytes the cache's size afterwards
 */
public record EvictionResult(int removed, long freedBytes, long totalBytes) {
}

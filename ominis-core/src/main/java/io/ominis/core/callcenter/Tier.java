package io.ominis.core.callcenter;

/**
 * One row of mod_callcenter's {@code tiers} table: agent {@code agent} serves {@code queue} at a priority
 * {@code level} (1 first) and a {@code position} within that level.
 */
public record Tier(String queue, String agent, TierState state, int level, int position) {
}

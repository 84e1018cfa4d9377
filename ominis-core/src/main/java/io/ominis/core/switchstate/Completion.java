package io.ominis.core.switchstate;

import java.util.List;

/**
 * One row of FreeSWITCH's {@code complete} table: a console tab-completion rule.
 *
 * @param words the ten columns {@code a1} … {@code a10}, nulls kept
 */
public record Completion(Integer sticky, List<String> words, String hostname) {
    public Completion {
        words = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(words));
    }
}

package io.ominis.core;

import java.util.List;
import java.util.Objects;

/**
 * One page of a keyset-paginated listing.
 *
 * @param items the rows of this page, in listing order
 * @param next  where the following page starts, or null when this is the last page
 * @param <T>   row type
 * @param <C>   cursor type
 */
public record Page<T, C>(List<T> items, C next) {
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** Whether another page follows. */
    public boolean hasNext() {
        return next != null;
    }
}

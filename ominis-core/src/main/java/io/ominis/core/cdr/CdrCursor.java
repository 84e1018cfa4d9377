package io.ominis.core.cdr;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * Where the next page of a CDR listing starts: the {@code (start_stamp, uuid)} of the last record already returned.
 * Keyset pagination stays fast at any depth, unlike {@code OFFSET}.
 */
public record CdrCursor(LocalDateTime startStamp, String uuid) {
    public CdrCursor {
        Objects.requireNonNull(startStamp, "startStamp");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** The cursor that continues after {@code last}. */
    public static CdrCursor after(Cdr last) {
        return new CdrCursor(last.startStamp(), last.uuid());
    }
}

package io.ominis.db;

import io.ominis.core.switchstate.Channel;
import io.ominis.db.internal.SqlErrors;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads FreeSWITCH's {@code channels} table: the live call legs of every switch sharing the database. Read-only,
 * because FreeSWITCH is the only writer; its writes are queued and batched, so a row may trail the switch briefly.
 */
public final class ChannelDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = Limits.MAX;

    // select * keeps the 38 columns in FreeSWITCH's order; the mapper finds them by name either way.
    private static final String FIND = """
            SELECT * FROM channels
            WHERE uuid = :uuid
              AND (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY created_epoch DESC
            LIMIT 1""";

    private static final String BY_HOSTNAME = """
            SELECT * FROM channels
            WHERE hostname = :hostname
            ORDER BY created_epoch, uuid""";

    private static final String LIST = """
            SELECT * FROM channels
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
              AND (CAST(:state AS varchar) IS NULL OR state = :state)
              AND (CAST(:context AS varchar) IS NULL OR context = :context)
              AND (CAST(:direction AS varchar) IS NULL OR direction = :direction)
              AND (CAST(:callstate AS varchar) IS NULL OR callstate = :callstate)
            ORDER BY created_epoch, uuid
            LIMIT :limit""";

    private static final String COUNT = """
            SELECT count(*) FROM channels
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)""";

    private static final RecordRows<Channel> ROWS = RecordRows.of(Channel.class);

    private final Jdbi jdbi;

    ChannelDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Which channels to list; null components mean "any". Values match exactly as FreeSWITCH wrote them
     * ({@code CS_EXECUTE}, {@code ACTIVE}, {@code inbound}).
     *
     * @param limit rows to return, 1 to {@link #MAX_LIMIT}
     */
    public record Query(String hostname, String state, String context, String direction, String callstate, int limit) {
        public Query {
            Limits.check(limit);
        }

        /** The first {@code limit} channels of all switches, oldest first. */
        public static Query first(int limit) {
            return new Query(null, null, null, null, null, limit);
        }
    }

    /**
     * The channel with this uuid on any switch. Should a dead switch have left a stale row with the same uuid, the
     * newest row wins.
     */
    public Optional<Channel> find(String uuid) {
        return find(uuid, null);
    }

    /** The channel with this uuid on switch {@code hostname} (FreeSWITCH's switchname); null hostname means any. */
    public Optional<Channel> find(String uuid, String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(FIND)
                .bind("uuid", uuid)
                .bind("hostname", hostname)
                .map(ROWS)
                .findOne()));
    }

    /**
     * Every channel of one switch, oldest first. Unbounded on purpose: a switch's live channels are capped by its
     * {@code max-sessions}, and callers reconciling one node need all of them.
     */
    public List<Channel> listByHostname(String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(BY_HOSTNAME)
                .bind("hostname", hostname)
                .map(ROWS)
                .list()));
    }

    /** Channels matching {@code query}, ordered by creation time then uuid. */
    public List<Channel> list(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("hostname", query.hostname())
                .bind("state", query.state())
                .bind("context", query.context())
                .bind("direction", query.direction())
                .bind("callstate", query.callstate())
                .bind("limit", query.limit())
                .map(ROWS)
                .list()));
    }

    /** How many channels all switches have. */
    public long count() {
        return count(null);
    }

    /** How many channels switch {@code hostname} has; null means all switches. */
    public long count(String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT)
                .bind("hostname", hostname)
                .mapTo(Long.class)
                .one()));
    }
}

package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.switchstate.Channel;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads FreeSWITCH's {@code channels} table: the live call legs of every switch sharing the database. Read-only,
 * because FreeSWITCH is the only writer; its writes are queued and batched, so a row may trail the switch briefly.
 */
public final class ChannelDao implements ChannelReads {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = Limits.MAX;

    // select * keeps the 38 columns in FreeSWITCH's order; the mapper finds them by name either way.
    // Positional parameters (plain JDBC, see JdbcReads): an optional filter binds its value twice.
    private static final String FIND = """
            SELECT * FROM channels
            WHERE uuid = ?
              AND (CAST(? AS varchar) IS NULL OR hostname = ?)
            ORDER BY created_epoch DESC
            LIMIT 1""";

    private static final String BY_HOSTNAME = """
            SELECT * FROM channels
            WHERE hostname = ?
            ORDER BY created_epoch, uuid""";

    private static final String FILTER = """
            WHERE (CAST(? AS varchar) IS NULL OR hostname = ?)
              AND (CAST(? AS varchar) IS NULL OR state = ?)
              AND (CAST(? AS varchar) IS NULL OR context = ?)
              AND (CAST(? AS varchar) IS NULL OR direction = ?)
              AND (CAST(? AS varchar) IS NULL OR callstate = ?)
            """;

    // The keyset: creation time, uuid and switch, which FreeSWITCH never changes once a row is written. NULLs are
    // folded into values (a channel without created_epoch last) because a row comparison with NULL matches nothing.
    // Text in byte order (COLLATE "C") whatever the database's collation, as ChannelMirror orders it in memory.
    private static final String LIST = "SELECT * FROM channels " + FILTER + """
              AND (? OR (COALESCE(created_epoch, 2147483647), COALESCE(uuid, '') COLLATE "C",
                         COALESCE(hostname, '') COLLATE "C") > (?, ?, ?))
            ORDER BY COALESCE(created_epoch, 2147483647), COALESCE(uuid, '') COLLATE "C",
                     COALESCE(hostname, '') COLLATE "C"
            LIMIT ?""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM channels " + FILTER;

    private static final String COUNT = """
            SELECT count(*) FROM channels
            WHERE (CAST(? AS varchar) IS NULL OR hostname = ?)""";

    private static final String ALL = "SELECT * FROM channels";

    private static final String WITH_UUIDS = "SELECT * FROM channels WHERE uuid = ANY (?)";

    private static final RecordRows<Channel> ROWS = RecordRows.of(Channel.class);

    private final JdbcReads reads;

    ChannelDao(JdbcReads reads) {
        this.reads = reads;
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

    @Override
    public Optional<Channel> find(String uuid) {
        return find(uuid, null);
    }

    /** The channel with this uuid on switch {@code hostname} (FreeSWITCH's switchname); null hostname means any. */
    public Optional<Channel> find(String uuid, String hostname) {
        return reads.query("ChannelDao.find", FIND, st -> {
            st.setString(1, uuid);
            optional(st, 2, hostname);
        }, rows -> Optional.ofNullable(ROWS.first(rows)));
    }

    /**
     * Every channel of one switch, oldest first. Unbounded on purpose: a switch's live channels are capped by its
     * {@code max-sessions}, and callers reconciling one node need all of them.
     */
    public List<Channel> listByHostname(String hostname) {
        return reads.query("ChannelDao.listByHostname", BY_HOSTNAME, st -> st.setString(1, hostname), ROWS::all);
    }

    /** The first {@code query.limit()} channels matching {@code query}, ordered by creation time then uuid. */
    public List<Channel> list(Query query) {
        return page(query, null).items();
    }

    /**
     * {@inheritDoc} Rows that come or go between pages never make another row repeat or go missing, because the key
     * does not change while a channel lives.
     */
    @Override
    public Page<Channel, List<String>> page(Query query, List<String> after) {
        List<String> key = Rows.key(after, 3);
        List<Channel> rows = reads.query("ChannelDao.list", LIST, st -> {
            int at = filter(st, query);
            st.setBoolean(at, key.isEmpty());
            st.setLong(at + 1, Rows.keyNumber(key, 0));
            st.setString(at + 2, Rows.keyText(key, 1));
            st.setString(at + 3, Rows.keyText(key, 2));
            st.setInt(at + 4, query.limit() + 1);
        }, ROWS::all);
        return Rows.page(rows, query.limit(), ChannelDao::key);
    }

    @Override
    public long countMatching(Query query) {
        return reads.query("ChannelDao.countMatching", COUNT_MATCHING, st -> filter(st, query), rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** The keyset values of {@code channel}, as the listing orders by them. */
    static List<String> key(Channel channel) {
        return List.of(String.valueOf(channel.createdEpoch() == null ? Integer.MAX_VALUE : channel.createdEpoch()),
                channel.uuid() == null ? "" : channel.uuid(),
                channel.hostname() == null ? "" : channel.hostname());
    }

    // binds the five optional filters; returns the next parameter index
    private static int filter(PreparedStatement st, Query query) throws SQLException {
        optional(st, 1, query.hostname());
        optional(st, 3, query.state());
        optional(st, 5, query.context());
        optional(st, 7, query.direction());
        optional(st, 9, query.callstate());
        return 11;
    }

    /** How many channels all switches have. */
    public long count() {
        return count(null);
    }

    @Override
    public long count(String hostname) {
        return reads.query("ChannelDao.count", COUNT, st -> optional(st, 1, hostname), rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** Every row of the table, for {@link ChannelMirror}'s full loads. */
    List<Channel> all() {
        return reads.query("ChannelDao.all", ALL, st -> { }, ROWS::all);
    }

    /** The rows with these uuids, for {@link ChannelMirror}'s reloads of what changed. */
    List<Channel> withUuids(java.util.Collection<String> uuids) {
        return reads.query("ChannelDao.withUuids", WITH_UUIDS,
                st -> st.setArray(1, st.getConnection().createArrayOf("varchar", uuids.toArray())), ROWS::all);
    }

    /** Sends {@code payload} on notification channel {@code channel}, for {@link ChannelMirror#catchUp}. */
    void notifyOn(String channel, String payload) {
        reads.query("ChannelDao.notify", "SELECT pg_notify(?, ?)", st -> {
            st.setString(1, channel);
            st.setString(2, payload);
        }, rows -> rows.next());
    }

    /** An optional filter {@code (CAST(? AS varchar) IS NULL OR column = ?)}: its value at {@code at} and after. */
    private static void optional(PreparedStatement statement, int at, String value) throws SQLException {
        statement.setString(at, value);
        statement.setString(at + 1, value);
    }
}

package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.DetailedCall;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads FreeSWITCH's {@code calls} table (one row per bridge) and its views {@code detailed_calls} and
 * {@code basic_calls}, which pair each caller leg with its callee leg. Read-only: FreeSWITCH writes them.
 */
public final class CallDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = Limits.MAX;

    private static final String LIST = """
            SELECT * FROM calls
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY call_created_epoch, call_uuid""";

    private static final String DETAILED = """
            SELECT * FROM detailed_calls
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
              AND (:first OR (COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, ''))
                             > (:epoch, :uuid, :host))
            ORDER BY COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, '')
            LIMIT :limit""";

    private static final String BASIC = """
            SELECT * FROM basic_calls
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
              AND (:first OR (COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, ''))
                             > (:epoch, :uuid, :host))
            ORDER BY COALESCE(created_epoch, 2147483647), COALESCE(uuid, ''), COALESCE(hostname, '')
            LIMIT :limit""";

    private static final String COUNT_DETAILED = """
            SELECT count(*) FROM detailed_calls
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)""";

    private static final RecordRows<Call> CALLS = RecordRows.of(Call.class);

    private final Jdbi jdbi;

    CallDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The bridges of switch {@code hostname} (null: of all switches), oldest first. */
    public List<Call> list(String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("hostname", hostname)
                .map(CALLS)
                .list()));
    }

    /**
     * Rows of {@code detailed_calls} whose caller leg is on {@code hostname} (null: any), oldest first: one per bridged
     * call with its callee, one per unbridged channel with callee null. Callee legs never appear as callers.
     *
     * @param limit 1 to {@link #MAX_LIMIT}
     */
    public List<DetailedCall> detailedCalls(String hostname, int limit) {
        return detailedCalls(hostname, null, limit).items();
    }

    /**
     * One page of {@link #detailedCalls(String, int)}: the rows after the one whose caller leg has the key
     * {@code after} (a previous page's {@link Page#next()}; null for the first page). The key is the caller leg's
     * creation time, uuid and switch, which do not change while the call lasts, so calls that begin or end between
     * pages make no other row repeat or go missing.
     *
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not a channel key
     */
    public Page<DetailedCall, List<String>> detailedCalls(String hostname, List<String> after, int limit) {
        return paired(DETAILED, hostname, after, limit);
    }

    /** How many rows {@code detailed_calls} has whose caller leg is on {@code hostname} (null: any). */
    public long countDetailed(String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT_DETAILED)
                .bind("hostname", hostname)
                .mapTo(Long.class)
                .one()));
    }

    /**
     * Like {@link #detailedCalls}, from the narrower {@code basic_calls} view: the legs carry no application, codec,
     * dialplan, context or secure fields, and the callee leg no hostname or call uuid.
     */
    public List<DetailedCall> basicCalls(String hostname, int limit) {
        return paired(BASIC, hostname, null, limit).items();
    }

    private Page<DetailedCall, List<String>> paired(String sql, String hostname, List<String> after, int limit) {
        Limits.check(limit);
        List<String> key = Rows.key(after, 3);
        List<DetailedCall> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("hostname", hostname)
                .bind("first", key.isEmpty())
                .bind("epoch", Rows.keyNumber(key, 0))
                .bind("uuid", Rows.keyText(key, 1))
                .bind("host", Rows.keyText(key, 2))
                .bind("limit", limit + 1)
                .map(new Legs())
                .list()));
        return Rows.page(rows, limit, call -> ChannelDao.key(call.caller()));
    }

    /** Both legs of a view row, read by the same channel mapper, the callee's under the {@code b_} prefix. */
    private static final class Legs implements RowMapper<DetailedCall> {
        private static final RecordRows<Channel> CALLER = RecordRows.of(Channel.class);
        private static final RecordRows<Channel> CALLEE = RecordRows.prefixed(Channel.class, "b_");

        @Override
        public DetailedCall map(ResultSet rs, StatementContext ctx) throws SQLException {
            return specialize(rs, ctx).map(rs, ctx);
        }

        @Override
        public RowMapper<DetailedCall> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
            RowMapper<Channel> caller = CALLER.specialize(rs, ctx);
            RowMapper<Channel> callee = CALLEE.specialize(rs, ctx);
            return (row, context) -> new DetailedCall(
                    caller.map(row, context),
                    row.getString("b_uuid") == null ? null : callee.map(row, context),
                    row.getObject("call_created_epoch", Integer.class));
        }
    }
}

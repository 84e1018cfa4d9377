package io.ominis.db;

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
            ORDER BY created_epoch, uuid
            LIMIT :limit""";

    private static final String BASIC = """
            SELECT * FROM basic_calls
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY created_epoch, uuid
            LIMIT :limit""";

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
        return paired(DETAILED, hostname, limit);
    }

    /**
     * Like {@link #detailedCalls}, from the narrower {@code basic_calls} view: the legs carry no application, codec,
     * dialplan, context or secure fields, and the callee leg no hostname or call uuid.
     */
    public List<DetailedCall> basicCalls(String hostname, int limit) {
        return paired(BASIC, hostname, limit);
    }

    private List<DetailedCall> paired(String sql, String hostname, int limit) {
        Limits.check(limit);
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(sql)
                .bind("hostname", hostname)
                .bind("limit", limit)
                .map(new Legs())
                .list()));
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

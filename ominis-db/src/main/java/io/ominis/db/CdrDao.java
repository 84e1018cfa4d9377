package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.cdr.CdrCursor;
import io.ominis.core.cdr.CdrFilter;
import io.ominis.db.internal.SqlErrors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Reads call detail records ({@code cdr}), newest first, in keyset pages. The real writer is FreeSWITCH's
 * mod_odbc_cdr, one INSERT per leg after hang-up; {@link #insert} exists only for tests and imports.
 */
public final class CdrDao {

    /** The most rows one page may hold. */
    public static final int MAX_LIMIT = Limits.MAX;

    // Newest first on (start_stamp, uuid), which idx_cdr_start serves scanned backwards; the row-value comparison
    // continues strictly after the cursor, so rows sharing a second are neither repeated nor skipped.
    // A record without start_stamp cannot be placed in time (nor carry a cursor) and is reachable only by uuid.
    static final String LIST = """
            SELECT * FROM cdr
            WHERE start_stamp IS NOT NULL
              AND (CAST(:from AS timestamp) IS NULL OR start_stamp >= :from)
              AND (CAST(:to AS timestamp) IS NULL OR start_stamp < :to)
              AND (CAST(:queue AS varchar) IS NULL OR queue_name = :queue)
              AND (CAST(:agent AS varchar) IS NULL OR agent_name = :agent)
              AND (CAST(:hangupCause AS varchar) IS NULL OR hangup_cause = :hangupCause)
              AND (CAST(:caller AS varchar) IS NULL OR caller_id_number = :caller)
              AND (CAST(:destination AS varchar) IS NULL OR destination_number = :destination)
              AND (CAST(:switchName AS varchar) IS NULL OR switch_name = :switchName)
              AND (CAST(:afterStamp AS timestamp) IS NULL OR (start_stamp, uuid) < (:afterStamp, :afterUuid))
            ORDER BY start_stamp DESC, uuid DESC
            LIMIT :limit""";

    private static final String FIND = """
            SELECT * FROM cdr
            WHERE uuid = :uuid""";

    private static final String INSERT = """
            INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context,
                             start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause, json_cdr,
                             queue_name, agent_name, member_session_uuid, member_state, switch_name, created_at)
            VALUES (:uuid, :callerIdName, :callerIdNumber, :destinationNumber, :context,
                    :startStamp, :answerStamp, :endStamp, :duration, :billsec, :hangupCause, :jsonCdr,
                    :queueName, :agentName, :memberSessionUuid, :memberState, :switchName,
                    COALESCE(CAST(:createdAt AS timestamp), CURRENT_TIMESTAMP))
            RETURNING *""";

    private static final RecordRows<Cdr> ROWS = RecordRows.of(Cdr.class);

    private final Jdbi jdbi;

    CdrDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The record of the leg with this uuid, if any. */
    public Optional<Cdr> find(String uuid) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(FIND)
                .bind("uuid", uuid)
                .map(ROWS)
                .findOne()));
    }

    /** The record of the leg with this uuid. @throws NotFoundException when there is none */
    public Cdr get(String uuid) {
        return find(uuid).orElseThrow(() -> new NotFoundException("cdr", uuid));
    }

    /**
     * One page of records matching {@code filter}, newest first; the page's cursor continues after its last record.
     *
     * @param after where to continue (the previous page's {@link Page#next()}), or null for the first page
     * @param limit records per page, 1 to {@link #MAX_LIMIT}
     */
    public Page<Cdr, CdrCursor> list(CdrFilter filter, CdrCursor after, int limit) {
        Objects.requireNonNull(filter, "filter");
        Limits.check(limit);
        List<Cdr> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> bindList(h.createQuery(LIST), filter, after, limit + 1)
                .map(ROWS)
                .list()));
        if (rows.size() > limit) {
            List<Cdr> page = rows.subList(0, limit);
            return new Page<>(page, CdrCursor.after(page.get(page.size() - 1)));
        }
        return new Page<>(rows, null);
    }

    /** Binds {@link #LIST}'s parameters; shared with the test that EXPLAINs the very same statement. */
    static <S extends SqlStatement<S>> S bindList(S statement, CdrFilter filter, CdrCursor after, int limit) {
        return statement
                .bind("from", filter.from())
                .bind("to", filter.to())
                .bind("queue", filter.queue())
                .bind("agent", filter.agent())
                .bind("hangupCause", filter.hangupCause())
                .bind("caller", filter.caller())
                .bind("destination", filter.destination())
                .bind("switchName", filter.switchName())
                .bind("afterStamp", after == null ? null : after.startStamp())
                .bind("afterUuid", after == null ? null : after.uuid())
                .bind("limit", limit);
    }

    /**
     * Stores a record and returns it as stored ({@code created_at} defaults to now). For tests and imports only: in
     * production mod_odbc_cdr writes this table directly.
     *
     * @throws io.ominis.core.AlreadyExistsException when a record with this uuid exists
     */
    public Cdr insert(Cdr cdr) {
        if (cdr.uuid() == null || cdr.uuid().isBlank()) {
            throw new InvalidValueException("uuid", "is required");
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(INSERT)
                .bindMethods(cdr)
                .map(ROWS)
                .one()));
    }
}

package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.db.internal.SqlErrors;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Aggregates over call detail records ({@code cdr}) for a bounded time window, computed by the database (GROUP BY over
 * an index range of {@code start_stamp}; rows never travel to the JVM).
 *
 * <h2>Which row is what</h2>
 * mod_odbc_cdr writes one row per leg. Under mod_callcenter a queue call leaves two kinds of rows, told apart by the
 * columns the {@code freeswitch-config} mapping fills:
 * <ul>
 *   <li>the <b>member leg</b> (the caller): {@code queue_name} from {@code cc_queue}, {@code member_state} from
 *       {@code cc_cause} ({@code answered} when an agent was bridged, {@code cancel} otherwise), {@code agent_name}
 *       from {@code cc_agent} once bridged, and no {@code member_session_uuid} of another leg;</li>
 *   <li>an <b>agent leg</b> per offer to an agent: {@code queue_name}, {@code agent_name}, and
 *       {@code member_session_uuid} naming the member leg's uuid ({@code cc_member_session_uuid}); its
 *       {@code answer_stamp} is when the agent picked up, null when the agent did not.</li>
 * </ul>
 * The member leg's own {@code answer_stamp} is useless for queue figures: mod_callcenter answers the caller itself
 * when the caller enters the queue ({@code switch_channel_answer(member_channel)} in {@code callcenter_function}), so
 * every member leg that reached a queue carries one, answered by an agent or not.
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li><b>queue call</b>: a member leg that started in the window.</li>
 *   <li><b>answered</b>: {@code member_state = 'answered'}; <b>abandoned</b>: every other queue call (caller hung up,
 *       timed out or left with a key; mod_callcenter's {@code cancel}).</li>
 *   <li><b>wait</b> of an answered call: the earliest {@code answer_stamp} of its agent legs that started in the same
 *       window minus the member leg's {@code start_stamp}, in seconds: what the caller waited, any IVR before the queue
 *       included. Unknown (left out of averages, not within any threshold) when no answered agent leg is recorded.</li>
 *   <li><b>service level</b>: queue calls answered with a wait of at most {@code threshold} seconds divided by all
 *       queue calls, abandoned ones included.</li>
 *   <li><b>duration</b> and <b>billsec</b> of a queue call: the member leg's (whole call, and from the queue's answer
 *       to hang-up, i.e. queue time plus talk time).</li>
 *   <li>agent figures come from agent legs: <b>offered</b> = agent legs, <b>calls</b> = agent legs answered,
 *       <b>talk time</b> = sum of their billsec, <b>average handle time</b> = talk time / calls (CDRs hold no wrap-up
 *       time, so it is talk only).</li>
 *   <li><b>volume</b> counts every record but agent legs. The generated odbc_cdr.conf logs both legs (the agent leg
 *       of a queue call is a B-leg, joined by {@code uuid_bridge}), so a bridged call outside a queue counts once per
 *       leg; <b>hangup causes</b> count every record (leg).</li>
 * </ul>
 * Every figure takes records by {@code start_stamp} in {@code [from, to)}, in the switch's local time as stored; a
 * window spans at most {@link Window#MAX}, and every grouped listing at most {@link #MAX_ROWS} rows.
 */
public final class CdrStatistics {

    /** The most groups (queues, agents, causes) one statistic returns. */
    public static final int MAX_ROWS = Limits.MAX;

    // legs is referenced twice, so PostgreSQL materializes it: one range scan of the window serves both the member
    // legs and the agent legs joined back to them.
    static final String QUEUES = """
            WITH legs AS (
                SELECT uuid, queue_name, start_stamp, answer_stamp, duration, billsec, member_state,
                       member_session_uuid,
                       COALESCE(member_session_uuid NOT IN ('', uuid), false) AS agent_leg
                FROM cdr
                WHERE start_stamp >= :from AND start_stamp < :to
                  AND queue_name <> ''
            ),
            agent_answers AS (
                SELECT member_session_uuid, min(answer_stamp) AS answered_at
                FROM legs
                WHERE agent_leg AND answer_stamp IS NOT NULL
                GROUP BY member_session_uuid
            ),
            queue_calls AS (
                SELECT m.queue_name, m.duration, m.billsec,
                       COALESCE(m.member_state = 'answered', false) AS answered,
                       EXTRACT(EPOCH FROM a.answered_at - m.start_stamp) AS wait
                FROM legs m
                LEFT JOIN agent_answers a ON a.member_session_uuid = m.uuid
                WHERE NOT m.agent_leg
            )
            SELECT queue_name AS queue,
                   count(*) AS calls,
                   count(*) FILTER (WHERE answered) AS answered,
                   count(*) FILTER (WHERE NOT answered) AS abandoned,
                   round(avg(duration), 2) AS avg_duration,
                   max(duration) AS max_duration,
                   round(avg(billsec), 2) AS avg_billsec,
                   round(avg(wait) FILTER (WHERE answered), 2) AS avg_wait,
                   count(*) FILTER (WHERE answered AND wait <= :threshold) AS answered_within_threshold,
                   round(count(*) FILTER (WHERE answered AND wait <= :threshold) / CAST(count(*) AS numeric), 4)
                       AS service_level
            FROM queue_calls
            GROUP BY queue_name
            ORDER BY queue_name
            LIMIT :limit""";

    static final String AGENTS = """
            SELECT agent_name AS agent,
                   count(*) AS offered,
                   count(answer_stamp) AS calls,
                   COALESCE(sum(billsec) FILTER (WHERE answer_stamp IS NOT NULL), 0) AS talk_time,
                   round(avg(billsec) FILTER (WHERE answer_stamp IS NOT NULL), 2) AS average_handle_time
            FROM cdr
            WHERE start_stamp >= :from AND start_stamp < :to
              AND agent_name <> ''
              AND member_session_uuid NOT IN ('', uuid)
            GROUP BY agent_name
            ORDER BY agent_name
            LIMIT :limit""";

    static final String HANGUP_CAUSES = """
            SELECT hangup_cause, count(*) AS calls
            FROM cdr
            WHERE start_stamp >= :from AND start_stamp < :to
            GROUP BY hangup_cause
            ORDER BY calls DESC, hangup_cause
            LIMIT :limit""";

    // Buckets are generated from the window, not from the data, so quiet hours show as zero instead of missing.
    static final String VOLUME = """
            WITH counts AS (
                SELECT date_trunc(:unit, start_stamp) AS bucket, count(*) AS calls
                FROM cdr
                WHERE start_stamp >= :from AND start_stamp < :to
                  AND (member_session_uuid IS NULL OR member_session_uuid IN ('', uuid))
                GROUP BY 1
            )
            SELECT b.bucket, COALESCE(c.calls, 0) AS calls
            FROM generate_series(date_trunc(:unit, CAST(:from AS timestamp)),
                                 CAST(:to AS timestamp) - INTERVAL '1 microsecond',
                                 CAST(:step AS interval)) AS b (bucket)
            LEFT JOIN counts c ON c.bucket = b.bucket
            ORDER BY b.bucket""";

    /**
     * The records a statistic covers: {@code start_stamp} in {@code [from, to)}, switch-local time. Building one
     * throws {@link InvalidValueException} naming {@code from} or {@code to} when one is missing, they are out of
     * order, or they span more than {@link #MAX}.
     */
    public record Window(LocalDateTime from, LocalDateTime to) {

        /** The longest window, so that no statistic reads an unbounded share of the table. */
        public static final Duration MAX = Duration.ofDays(93);

        public Window {
            if (from == null) {
                throw new InvalidValueException("from", "is required");
            }
            if (to == null) {
                throw new InvalidValueException("to", "is required");
            }
            if (!from.isBefore(to)) {
                throw new InvalidValueException("from", "must be before 'to'");
            }
            if (Duration.between(from, to).compareTo(MAX) > 0) {
                throw new InvalidValueException("to", "may be at most " + MAX.toDays() + " days after 'from'");
            }
        }
    }

    /** Bucket width of {@link #volume}. */
    public enum Bucket {
        HOUR("hour"),
        DAY("day");

        private final String unit;

        Bucket(String unit) {
            this.unit = unit;
        }

        /** PostgreSQL's {@code date_trunc} unit, also the API's spelling. */
        public String unit() {
            return unit;
        }
    }

    /**
     * Figures of one queue; see the class documentation for the definitions.
     *
     * @param avgDuration  seconds, null when no call has a duration
     * @param avgWait      seconds over answered calls with a known wait, null when there is none
     * @param serviceLevel share from 0 to 1
     */
    public record QueueStats(
            String queue,
            long calls,
            long answered,
            long abandoned,
            Double avgDuration,
            Integer maxDuration,
            Double avgBillsec,
            Double avgWait,
            long answeredWithinThreshold,
            double serviceLevel) {
    }

    /**
     * Figures of one agent from its agent legs; times in seconds.
     *
     * @param averageHandleTime null when the agent answered nothing
     */
    public record AgentStats(String agent, long offered, long calls, long talkTime, Double averageHandleTime) {
    }

    /** How many records ended with {@code hangupCause} (null: recorded without one). */
    public record HangupCauseCount(String hangupCause, long calls) {
    }

    /** Calls that started in the bucket beginning at {@code bucket} (switch-local time). */
    public record VolumeBucket(LocalDateTime bucket, long calls) {
    }

    private static final RecordRows<QueueStats> QUEUE_ROWS = RecordRows.of(QueueStats.class);
    private static final RecordRows<AgentStats> AGENT_ROWS = RecordRows.of(AgentStats.class);
    private static final RecordRows<HangupCauseCount> CAUSE_ROWS = RecordRows.of(HangupCauseCount.class);
    private static final RecordRows<VolumeBucket> VOLUME_ROWS = RecordRows.of(VolumeBucket.class);

    private final Jdbi jdbi;

    CdrStatistics(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Per-queue figures, by queue name.
     *
     * @param thresholdSeconds the service-level target: an answered call counts when its wait is at most this
     */
    public List<QueueStats> queues(Window window, int thresholdSeconds) {
        if (thresholdSeconds < 0) {
            throw new InvalidValueException("threshold", "must not be negative");
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindGrouped(h.createQuery(QUEUES), window)
                .bind("threshold", thresholdSeconds)
                .map(QUEUE_ROWS)
                .list()));
    }

    /** Per-agent figures from agent legs, by agent name. */
    public List<AgentStats> agents(Window window) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindGrouped(h.createQuery(AGENTS), window)
                .map(AGENT_ROWS)
                .list()));
    }

    /** Records per hang-up cause, most frequent first. */
    public List<HangupCauseCount> hangupCauses(Window window) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindGrouped(h.createQuery(HANGUP_CAUSES), window)
                .map(CAUSE_ROWS)
                .list()));
    }

    /**
     * Calls per hour or day, every bucket of the window present (zero when quiet). The first bucket starts at
     * {@code from} truncated to the bucket, so it may cover less than a whole hour or day of the window.
     */
    public List<VolumeBucket> volume(Window window, Bucket bucket) {
        Objects.requireNonNull(bucket, "bucket");
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindWindow(h.createQuery(VOLUME), window)
                .bind("unit", bucket.unit())
                .bind("step", "1 " + bucket.unit())
                .map(VOLUME_ROWS)
                .list()));
    }

    /** Binds the window; shared with the test that EXPLAINs these very statements. */
    static <S extends SqlStatement<S>> S bindWindow(S statement, Window window) {
        Objects.requireNonNull(window, "window");
        return statement
                .bind("from", window.from())
                .bind("to", window.to());
    }

    /** Binds the window and the bound on groups of a grouped statement. */
    static <S extends SqlStatement<S>> S bindGrouped(S statement, Window window) {
        return bindWindow(statement, window).bind("limit", MAX_ROWS);
    }
}

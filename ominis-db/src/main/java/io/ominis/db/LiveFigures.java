package io.ominis.db;

import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The call center's figures at a glance for monitoring: registrations, channels and calls, callers waiting per queue,
 * agents by status and state (overall and per queue), how far behind the newest CDR is and how many monthly CDR
 * partitions exist ahead. Each method is one bounded query (grouped, capped at {@link #MAX_GROUPS} rows, index-backed
 * where the table can grow); it is meant to be called by a background collector, never on a request's path.
 */
public final class LiveFigures {

    /** The most groups (queues, status/state pairs) one figure returns, so a runaway table cannot flood a scrape. */
    public static final int MAX_GROUPS = 500;

    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM registrations) AS registrations,
                   (SELECT count(*) FROM channels) AS channels,
                   (SELECT count(*) FROM calls) AS calls""";

    // every defined queue appears, with 0 when nobody waits, so a dashboard shows the queue and not a gap
    private static final String WAITING = """
            SELECT queue, sum(waiting)::bigint AS waiting FROM (
                SELECT queue, count(*) AS waiting FROM members
                WHERE state = 'Waiting' AND queue IS NOT NULL GROUP BY queue
                UNION ALL
                SELECT name, 0 FROM callcenter_queues
            ) q
            GROUP BY queue
            ORDER BY waiting DESC, queue
            LIMIT ?""";

    private static final String AGENTS = """
            SELECT coalesce(status, '') AS status, coalesce(state, '') AS state, count(*) AS agents
            FROM agents GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?""";

    private static final String QUEUE_AGENTS = """
            SELECT t.queue, coalesce(a.status, '') AS status, count(*) AS agents
            FROM tiers t JOIN agents a ON a.name = t.agent
            WHERE t.queue IS NOT NULL
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?""";

    // cdr is partitioned by start_stamp: the newest start comes from idx_cdr_start, and the newest end is looked for
    // only among calls that started within a day of it (pruned to one or two partitions), never in a full scan
    private static final String CDR_LAG = """
            SELECT EXTRACT(EPOCH FROM (localtimestamp - max(end_stamp)))::float8 AS lag
            FROM cdr
            WHERE start_stamp >= (SELECT max(start_stamp) FROM cdr) - interval '1 day'""";

    private static final String PARTITIONS_AHEAD = """
            SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass('cdr')
              AND c.relname ~ '^cdr_y[0-9]{4}m[0-9]{2}$'
              AND c.relname >= ?""";

    /** Totals of FreeSWITCH's live tables. */
    public record Counts(long registrations, long channels, long calls) {
    }

    /** Callers waiting in one queue. */
    public record QueueWaiting(String queue, long waiting) {
    }

    /** Agents with one status and state ({@code Available}, {@code Waiting}); empty strings where FreeSWITCH left NULL. */
    public record AgentGroup(String status, String state, long agents) {
    }

    /** Agents of one queue (through their tiers) with one status. */
    public record QueueAgents(String queue, String status, long agents) {
    }

    private final JdbcReads reads;
    private final Clock clock;

    LiveFigures(JdbcReads reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    /** Registrations, channels and calls across every switch. */
    public Counts counts() {
        return reads.query("LiveFigures.counts", COUNTS, s -> { }, rs -> {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        });
    }

    /** Callers in state {@code Waiting} per queue, every defined queue included, most waiting first. */
    public List<QueueWaiting> waitingPerQueue() {
        return reads.query("LiveFigures.waitingPerQueue", WAITING, s -> s.setInt(1, MAX_GROUPS), rs -> {
            List<QueueWaiting> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new QueueWaiting(rs.getString(1), rs.getLong(2)));
            }
            return out;
        });
    }

    /** Agents by status and state. */
    public List<AgentGroup> agents() {
        return reads.query("LiveFigures.agents", AGENTS, s -> s.setInt(1, MAX_GROUPS), rs -> {
            List<AgentGroup> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new AgentGroup(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            return out;
        });
    }

    /** Agents per queue (an agent counts in every queue it has a tier in) and status. */
    public List<QueueAgents> agentsPerQueue() {
        return reads.query("LiveFigures.agentsPerQueue", QUEUE_AGENTS, s -> s.setInt(1, MAX_GROUPS), rs -> {
            List<QueueAgents> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new QueueAgents(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            return out;
        });
    }

    /** How long ago the newest CDR ended (the database's local time, as FreeSWITCH writes it); empty without CDRs. */
    public Optional<Duration> cdrLag() {
        return reads.query("LiveFigures.cdrLag", CDR_LAG, s -> { }, rs -> {
            rs.next();
            double seconds = rs.getDouble(1);
            return rs.wasNull() ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        });
    }

    /** Monthly CDR partitions that exist for the months after the current one. */
    public long cdrPartitionsAhead() {
        String next = CdrPartitions.partitionName(YearMonth.now(clock).plusMonths(1));
        return reads.query("LiveFigures.cdrPartitionsAhead", PARTITIONS_AHEAD, s -> s.setString(1, next), rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }
}

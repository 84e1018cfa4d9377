package io.ominis.db;

import io.ominis.core.callcenter.MemberState;
import io.ominis.db.internal.SqlErrors;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * The live view of queues, from the rows mod_callcenter keeps in the shared database and the day's CDRs: callers
 * waiting and the longest wait now, the queue's agents by status and state, and today's answered and abandoned calls
 * and service level with {@link CdrStatistics}' definitions. mod_callcenter writes its rows asynchronously, so the view
 * can trail the switch by moments.
 */
public final class QueueActivity {

    /**
     * Callers waiting (Waiting, or Trying: being offered to agents), the longest wait among them in seconds by the
     * database's clock, and callers talking to an agent. The wait counts from {@code rejoined_epoch} when a caller
     * resumed its place, as mod_callcenter counts it.
     */
    private static final String MEMBERS = """
            SELECT queue,
                   count(*) FILTER (WHERE state IN (:waiting, :trying)) AS waiting,
                   max(CAST(extract(epoch FROM now()) AS bigint)
                       - CASE WHEN rejoined_epoch > 0 THEN rejoined_epoch ELSE joined_epoch END)
                       FILTER (WHERE state IN (:waiting, :trying) AND joined_epoch > 0) AS longest_wait,
                   count(*) FILTER (WHERE state = :answered) AS talking
            FROM members
            WHERE queue = ANY(:queues)
            GROUP BY queue""";

    private static final String AGENTS = """
            SELECT t.queue, a.status, a.state, count(*) AS agents
            FROM tiers t
            JOIN agents a ON a.name = t.agent
            WHERE t.queue = ANY(:queues)
            GROUP BY t.queue, a.status, a.state
            ORDER BY t.queue, a.status, a.state""";

    /** How many of a queue's agents (through their tiers) have this status and state. */
    public record AgentCount(String status, String state, long agents) {
    }

    /**
     * Today's figures of a queue from the CDRs (switch-local midnight to midnight), as {@link CdrStatistics} defines
     * them.
     *
     * @param serviceLevel answered within {@code thresholdSeconds} / all calls; 0 when there was no call
     */
    public record Today(LocalDate date, long calls, long answered, long abandoned, Double avgWait, int thresholdSeconds,
            double serviceLevel) {
    }

    /**
     * A queue now.
     *
     * @param longestWaitSeconds null when nobody waits
     */
    public record Snapshot(String queue, long callersWaiting, Long longestWaitSeconds, long callersWithAgent,
            List<AgentCount> agents, Today today) {
    }

    private final Jdbi jdbi;
    private final CdrStatistics statistics;

    QueueActivity(Jdbi jdbi, CdrStatistics statistics) {
        this.jdbi = jdbi;
        this.statistics = statistics;
    }

    /** The view of one queue; an unknown queue is all zeros. */
    public Snapshot of(String queue, LocalDate today, int thresholdSeconds) {
        return of(List.of(queue), today, thresholdSeconds).get(queue);
    }

    /**
     * The view of each of {@code queues} (at most {@link CdrStatistics#MAX_ROWS}), in their order: four queries
     * whatever their number.
     *
     * @param today            the switches' local date, whose CDRs make {@link Today}
     * @param thresholdSeconds the service-level target
     */
    public Map<String, Snapshot> of(Collection<String> queues, LocalDate today, int thresholdSeconds) {
        Objects.requireNonNull(today, "today");
        List<String> names = List.copyOf(queues);
        Map<String, long[]> members = new LinkedHashMap<>();
        Map<String, Long> longest = new LinkedHashMap<>();
        Map<String, List<AgentCount>> agents = new LinkedHashMap<>();
        if (!names.isEmpty()) {
            SqlErrors.guard(() -> jdbi.withHandle(h -> {
                h.createQuery(MEMBERS)
                        .bindArray("queues", String.class, names)
                        .bind("waiting", MemberState.WAITING.wire())
                        .bind("trying", MemberState.TRYING.wire())
                        .bind("answered", MemberState.ANSWERED.wire())
                        .map((rs, ctx) -> {
                            String q = rs.getString("queue");
                            members.put(q, new long[] {rs.getLong("waiting"), rs.getLong("talking")});
                            long wait = rs.getLong("longest_wait");
                            if (!rs.wasNull()) {
                                longest.put(q, Math.max(0, wait));
                            }
                            return q;
                        })
                        .list();
                h.createQuery(AGENTS)
                        .bindArray("queues", String.class, names)
                        .map((rs, ctx) -> agents.computeIfAbsent(rs.getString("queue"), q -> new ArrayList<>())
                                .add(new AgentCount(rs.getString("status"), rs.getString("state"), rs.getLong("agents"))))
                        .list();
                return null;
            }));
        }
        Map<String, CdrStatistics.QueueStats> stats = new LinkedHashMap<>();
        CdrStatistics.Window window = new CdrStatistics.Window(today.atStartOfDay(), today.plusDays(1).atStartOfDay());
        if (!names.isEmpty()) {
            statistics.queues(window, thresholdSeconds).forEach(s -> stats.put(s.queue(), s));
        }
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (String q : names) {
            long[] m = members.getOrDefault(q, new long[2]);
            CdrStatistics.QueueStats s = stats.get(q);
            Today t = s == null ? new Today(today, 0, 0, 0, null, thresholdSeconds, 0.0)
                    : new Today(today, s.calls(), s.answered(), s.abandoned(), s.avgWait(), thresholdSeconds,
                            s.serviceLevel());
            out.put(q, new Snapshot(q, m[0], longest.get(q), m[1], List.copyOf(agents.getOrDefault(q, List.of())), t));
        }
        return out;
    }

    /** The switches' local date now, for {@link #of}. */
    public static LocalDate today() {
        return LocalDateTime.now().toLocalDate();
    }
}

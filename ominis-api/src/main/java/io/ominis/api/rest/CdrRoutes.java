package io.ominis.api.rest;

import static io.javalin.http.HandlerType.GET;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.cdr.CdrCursor;
import io.ominis.core.cdr.CdrFilter;
import io.ominis.db.CdrDao;
import io.ominis.db.CdrStatistics;
import io.ominis.db.ReplicaReads;
import io.ominis.db.CdrStatistics.AgentStats;
import io.ominis.db.CdrStatistics.Bucket;
import io.ominis.db.CdrStatistics.HangupCauseCount;
import io.ominis.db.CdrStatistics.QueueStats;
import io.ominis.db.CdrStatistics.VolumeBucket;
import io.ominis.db.CdrStatistics.Window;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /v1/cdr}: call detail records in keyset pages, newest first, and statistics over a time window. Times are
 * the switch's local wall-clock time, as mod_odbc_cdr stores them, so parameters take local date-times without an
 * offset. The statistics' definitions (what is a queue call, answered, abandoned, wait, service level) are those of
 * {@link CdrStatistics}; each statistic needs {@code from} and {@code to}, at most 93 days apart.
 */
public final class CdrRoutes {

    /** Records per page when {@code limit} is absent. */
    public static final int DEFAULT_LIMIT = 100;

    /** Service-level target when {@code threshold} is absent, in seconds. */
    public static final int DEFAULT_THRESHOLD = 20;

    /** Largest service-level target, in seconds. */
    public static final int MAX_THRESHOLD = 3600;

    private static final String WINDOW_NOTE = " Records count by start_stamp in [from, to), at most "
            + Window.MAX.toDays() + " days.";

    /** One page of records; pass {@code next_cursor} back as {@code cursor} for the next. */
    @NullMarked
    public record CdrPage(List<Cdr> items, @Nullable String nextCursor) {
    }

    /** Per-queue figures over {@code [from, to)}. */
    @NullMarked
    public record QueueReport(LocalDateTime from, LocalDateTime to, int threshold, List<QueueStats> queues) {
    }

    /** Per-agent figures over {@code [from, to)}. */
    @NullMarked
    public record AgentReport(LocalDateTime from, LocalDateTime to, List<AgentStats> agents) {
    }

    /** Records per hang-up cause over {@code [from, to)}, most frequent first. */
    @NullMarked
    public record HangupCauseReport(LocalDateTime from, LocalDateTime to, List<HangupCauseCount> causes) {
    }

    /** Calls per hour or day over {@code [from, to)}, quiet buckets included with zero. */
    @NullMarked
    public record VolumeReport(LocalDateTime from, LocalDateTime to, String bucket, List<VolumeBucket> buckets) {
    }

    private final ReplicaReads reads;

    private final JsonBodies bodies;

    /**
     * The routes over the {@code cdr} table as {@code reads} reaches it (a read replica within its lag bound, else the
     * primary); answers are written by {@code bodies}.
     */
    public CdrRoutes(ReplicaReads reads, JsonBodies bodies) {
        this.bodies = bodies;
        this.reads = reads;
    }

    public void register(ApiRouter router) {
        String tag = "cdr";
        String from = "start_stamp at or after, local date-time (2026-11-25T13:00:00) or date";
        String to = "start_stamp before, local date-time or date";
        router.add(Operation.json(GET, "/v1/cdr", tag, "List call detail records, newest first (keyset pages)",
                        CdrPage.class)
                .query("from", "string", from)
                .query("to", "string", to)
                .query("queue", "string", "queue_name")
                .query("agent", "string", "agent_name")
                .query("hangup_cause", "string", "e.g. NORMAL_CLEARING")
                .query("caller", "string", "caller_id_number")
                .query("destination", "string", "destination_number")
                .query("switch", "string", "switch_name, the FreeSWITCH node")
                .query("limit", "integer", "records per page, 1-" + CdrDao.MAX_LIMIT + ", default " + DEFAULT_LIMIT)
                .query("cursor", "string", "next_cursor of the previous page"), this::list);
        router.add(Operation.json(GET, "/v1/cdr/{uuid}", tag, "Get the record of one leg", Cdr.class)
                .errors(404), this::get);
        router.add(windowed(Operation.json(GET, "/v1/cdr/stats/queues", tag,
                        "Per queue: calls (member legs), answered (cc_cause 'answered'), abandoned (the other calls), "
                                + "average and max duration, average billsec, average wait (first answer_stamp of the "
                                + "call's agent legs minus the member leg's start_stamp, answered calls only) and "
                                + "service level (calls answered within threshold seconds / all calls)." + WINDOW_NOTE,
                        QueueReport.class), from, to)
                .query("threshold", "integer", "service-level target in seconds, 0-" + MAX_THRESHOLD + ", default "
                        + DEFAULT_THRESHOLD), this::queues);
        router.add(windowed(Operation.json(GET, "/v1/cdr/stats/agents", tag,
                        "Per agent, from agent legs: offered (legs), calls (legs answered), talk time (sum of their "
                                + "billsec) and average handle time (talk time / calls; no wrap-up in CDRs)."
                                + WINDOW_NOTE,
                        AgentReport.class), from, to), this::agents);
        router.add(windowed(Operation.json(GET, "/v1/cdr/stats/hangup-causes", tag,
                        "Records (legs) per hang-up cause, most frequent first." + WINDOW_NOTE,
                        HangupCauseReport.class), from, to), this::hangupCauses);
        router.add(windowed(Operation.json(GET, "/v1/cdr/stats/volume", tag,
                        "Calls (records other than mod_callcenter agent legs) per hour or day, zero-filled."
                                + WINDOW_NOTE,
                        VolumeReport.class), from, to)
                .query("bucket", List.of("hour", "day"), "hour (default) or day"), this::volume);
    }

    private static Operation windowed(Operation operation, String from, String to) {
        return operation.requiredQuery("from", "string", from).requiredQuery("to", "string", to);
    }

    private void list(Context ctx) {
        CdrFilter filter = new CdrFilter(
                QueryParams.localDateTime(ctx, "from"),
                QueryParams.localDateTime(ctx, "to"),
                QueryParams.string(ctx, "queue"),
                QueryParams.string(ctx, "agent"),
                QueryParams.string(ctx, "hangup_cause"),
                QueryParams.string(ctx, "caller"),
                QueryParams.string(ctx, "destination"),
                QueryParams.string(ctx, "switch"));
        CdrCursor after = cursor(Cursors.decode(QueryParams.string(ctx, "cursor")));
        int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, CdrDao.MAX_LIMIT);
        Page<Cdr, CdrCursor> page = reads.read(d -> d.cdr().list(filter, after, limit));
        bodies.send(ctx, new CdrPage(page.items(), page.next() == null ? null
                : Cursors.encode(page.next().startStamp() + "|" + page.next().uuid())));
    }

    /** The cursor's key is {@code <start_stamp ISO>|<uuid>}; the stamp has no '|', the uuid may. */
    private static CdrCursor cursor(String key) {
        if (key == null) {
            return null;
        }
        int bar = key.indexOf('|');
        if (bar > 0) {
            try {
                return new CdrCursor(LocalDateTime.parse(key.substring(0, bar)), key.substring(bar + 1));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new InvalidValueException("cursor", "is not a cursor this server issued");
    }

    private void get(Context ctx) {
        String uuid = ctx.pathParam("uuid");
        bodies.send(ctx, reads.read(d -> d.cdr().get(uuid)));
    }

    private void queues(Context ctx) {
        Window window = window(ctx);
        int threshold = QueryParams.integer(ctx, "threshold", DEFAULT_THRESHOLD, 0, MAX_THRESHOLD);
        bodies.send(ctx, new QueueReport(window.from(), window.to(), threshold, reads.read(d -> d.cdrStatistics().queues(window, threshold))));
    }

    private void agents(Context ctx) {
        Window window = window(ctx);
        bodies.send(ctx, new AgentReport(window.from(), window.to(), reads.read(d -> d.cdrStatistics().agents(window))));
    }

    private void hangupCauses(Context ctx) {
        Window window = window(ctx);
        bodies.send(ctx, new HangupCauseReport(window.from(), window.to(), reads.read(d -> d.cdrStatistics().hangupCauses(window))));
    }

    private void volume(Context ctx) {
        Window window = window(ctx);
        List<String> units = Arrays.stream(Bucket.values()).map(Bucket::unit).toList();
        String unit = QueryParams.oneOf(ctx, "bucket", units);
        Bucket bucket = unit == null ? Bucket.HOUR : Bucket.values()[units.indexOf(unit)];
        bodies.send(ctx, new VolumeReport(window.from(), window.to(), bucket.unit(), reads.read(d -> d.cdrStatistics().volume(window, bucket))));
    }

    private static Window window(Context ctx) {
        return new Window(QueryParams.localDateTime(ctx, "from"), QueryParams.localDateTime(ctx, "to"));
    }
}

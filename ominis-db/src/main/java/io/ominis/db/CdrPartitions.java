package io.ominis.db;

import io.ominis.core.config.CdrSettings;
import io.ominis.db.internal.SqlErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Maintenance of the partitioned {@code cdr} table (migration V7): one partition per month, {@code cdr_yYYYYmMM},
 * covering {@code [first day, first day of the next month)} of {@code start_stamp}, and {@code cdr_default} for rows
 * no month covers (start_stamp NULL, or a month not created yet).
 *
 * <ul>
 *   <li>{@link #ensureAhead} creates the months that new records will need, moving rows that already wait for such a
 *       month in the default partition into it.</li>
 *   <li>{@link #dropOlderThan} is retention: whole months are dropped, which costs milliseconds whatever they hold,
 *       and removes their uuids from the uniqueness check with them (it probes the partitions themselves).</li>
 *   <li>{@link #runOnce} does both as one pass, for the {@code cdr-maintenance} command, a CronJob, or a scheduler.</li>
 * </ul>
 *
 * <p>Months are taken from {@code clock}, which should be in the switches' time zone: FreeSWITCH writes
 * {@code start_stamp} as its local time. Every change runs under the advisory lock that
 * {@code cdr_create_month_partition} takes, so servers running maintenance at the same moment all succeed, and with a
 * {@code lock_timeout}: creating or dropping a partition needs a short exclusive lock, and waiting behind a long report
 * would stall every insert queued behind the wait. A timed-out run fails; the next one catches up.
 *
 * <p>The database role must own {@code cdr} (the role that runs the migrations), as creating and dropping partitions
 * requires.
 */
public final class CdrPartitions {

    /** The partition that takes every row no monthly partition covers. */
    public static final String DEFAULT_PARTITION = "cdr_default";

    /** How long one partition change waits for its locks before giving up. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern MONTHLY_NAME = Pattern.compile("cdr_y(\\d{4})m(\\d{2})");
    private static final Pattern RANGE = Pattern.compile("FOR VALUES FROM \\('([^']+)'\\) TO \\('([^']+)'\\)");

    private static final String LIST = """
            SELECT c.relname AS name,
                   pg_get_expr(c.relpartbound, c.oid) AS bound,
                   c.reltuples,
                   c.relpages,
                   pg_relation_size(c.oid) AS heap_bytes,
                   current_setting('block_size')::bigint AS block_size,
                   pg_total_relation_size(c.oid) AS bytes
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = CAST('cdr' AS regclass)""";

    private final Jdbi jdbi;
    private final Clock clock;

    /** Maintenance on {@code dataSource}'s {@code cdr}, with months in the JVM's default time zone. */
    public CdrPartitions(DataSource dataSource) {
        this(dataSource, Clock.systemDefaultZone());
    }

    /** Maintenance on {@code dataSource}'s {@code cdr}, with "now" and its month taken from {@code clock}. */
    public CdrPartitions(DataSource dataSource, Clock clock) {
        this.jdbi = Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One partition of {@code cdr}.
     *
     * @param name          e.g. {@code cdr_y2025m03}
     * @param from          inclusive lower bound of {@code start_stamp}; null for the default partition (and for a
     *                      bound of MINVALUE in a partition attached by hand)
     * @param to            exclusive upper bound; null for the default partition (or MAXVALUE)
     * @param isDefault     whether this is the DEFAULT partition
     * @param estimatedRows the row count: exact ({@code count(*)}) for a partition whose table is at most
     *                      {@link #EXACT_COUNT_BYTES}; for a larger one the planner's way, rows per page from the last
     *                      ANALYZE times the pages the table has now, or, never analysed or analysed empty
     *                      ({@code reltuples} -1, or 0 after a truncation), a 1% {@code TABLESAMPLE SYSTEM} count
     *                      scaled up
     * @param bytes         size with indexes and TOAST
     * @param rowsExact     whether {@code estimatedRows} was counted rather than estimated
     */
    public record Partition(String name, LocalDateTime from, LocalDateTime to, boolean isDefault, long estimatedRows,
                            long bytes, boolean rowsExact) {
    }

    /** Up to this heap size (8 MB) a partition's rows are counted exactly; a count this small takes milliseconds. */
    public static final long EXACT_COUNT_BYTES = 8L * 1024 * 1024;

    /**
     * What a maintenance run would do now, found without changing anything ({@code cdr-maintenance --dry-run}).
     *
     * @param wouldCreate            monthly partitions missing today, oldest first
     * @param keptFrom               the oldest month retention would keep; null when records are kept forever
     * @param wouldDrop              monthly partitions retention would drop, oldest first
     * @param defaultRowsWouldDelete rows of the default partition dated before {@code keptFrom}
     * @param partitions             every partition as it is
     */
    public record Plan(List<String> wouldCreate, YearMonth keptFrom, List<String> wouldDrop,
                       long defaultRowsWouldDelete, List<Partition> partitions) {
        public Plan {
            wouldCreate = List.copyOf(wouldCreate);
            wouldDrop = List.copyOf(wouldDrop);
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * A monthly partition a run created.
     *
     * @param name             e.g. {@code cdr_y2025m03}
     * @param month            the month it covers
     * @param movedFromDefault rows of that month that were waiting in the default partition and now live in it
     */
    public record Created(String name, YearMonth month, long movedFromDefault) {
    }

    /**
     * What a retention run did.
     *
     * @param keptFrom           the oldest month kept: every monthly partition before it was dropped
     * @param dropped            the partitions dropped, oldest first
     * @param deletedFromDefault rows of the default partition with a {@code start_stamp} before {@code keptFrom}
     */
    public record Retention(YearMonth keptFrom, List<String> dropped, long deletedFromDefault) {
        public Retention {
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * What one maintenance pass did.
     *
     * @param created    partitions created, oldest first
     * @param retention  what retention dropped, or null when records are kept forever
     * @param partitions every partition after the pass
     * @param took       how long the pass took
     */
    public record Report(List<Created> created, Retention retention, List<Partition> partitions, Duration took) {
        public Report {
            created = List.copyOf(created);
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * Ensures monthly partitions exist from the current month through {@code months} months ahead. Idempotent: months
     * that exist are left alone. Rows already in the default partition for a created month are moved into it.
     *
     * @return the partitions this call created, oldest first; empty when all existed
     */
    public List<Created> ensureAhead(int months) {
        if (months < 0) {
            throw new IllegalArgumentException("months must not be negative, got " + months);
        }
        YearMonth now = YearMonth.now(clock);
        return ensureMonths(now, now.plusMonths(months));
    }

    /**
     * Ensures a monthly partition for every month from {@code first} through {@code last}, e.g. before importing old
     * records. Each month is created in its own short transaction.
     *
     * @return the partitions this call created, oldest first
     */
    public List<Created> ensureMonths(YearMonth first, YearMonth last) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.isAfter(last)) {
            throw new IllegalArgumentException("first month " + first + " is after last month " + last);
        }
        List<Created> created = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            YearMonth month = m;
            long moved = SqlErrors.guard(() -> jdbi.inTransaction(h -> {
                limitLockWaits(h);
                return h.createQuery("SELECT COALESCE(cdr_create_month_partition(CAST(:month AS timestamp)), -1)")
                        .bind("month", month.atDay(1).atStartOfDay())
                        .mapTo(Long.class)
                        .one();
            }));
            if (moved >= 0) {
                created.add(new Created(partitionName(month), month, moved));
            }
        }
        return created;
    }

    /** Every partition of {@code cdr}: monthly ones by month, then the default partition. */
    public List<Partition> list() {
        return SqlErrors.guard(() -> jdbi.withHandle(this::list));
    }

    private List<Partition> list(Handle h) {
        List<Partition> partitions = new ArrayList<>();
        for (PartitionRow r : h.createQuery(LIST)
                .map((rs, ctx) -> new PartitionRow(rs.getString("name"), rs.getString("bound"),
                        rs.getDouble("reltuples"), rs.getLong("relpages"), rs.getLong("heap_bytes"),
                        rs.getLong("block_size"), rs.getLong("bytes")))
                .list()) {
            boolean exact = r.heapBytes() <= EXACT_COUNT_BYTES;
            partitions.add(partition(r.name(), r.bound(), rowCount(h, r, exact), r.bytes(), exact));
        }
        partitions.sort(Comparator.comparing(Partition::isDefault)
                .thenComparing(Partition::from, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Partition::name));
        return partitions;
    }

    private record PartitionRow(String name, String bound, double reltuples, long relpages, long heapBytes,
                                long blockSize, long bytes) {
    }

    private static long rowCount(Handle h, PartitionRow r, boolean exact) {
        // the name comes from pg_class and is quoted; a table name cannot be a bound parameter
        if (exact) {
            return h.createQuery("SELECT count(*) FROM " + quote(r.name())).mapTo(Long.class).one();
        }
        long pages = r.heapBytes() / r.blockSize();
        if (r.reltuples() > 0 && r.relpages() > 0) {
            return Math.round(r.reltuples() / r.relpages() * pages);
        }
        long sampled = h.createQuery("SELECT count(*) FROM " + quote(r.name()) + " TABLESAMPLE SYSTEM (1) REPEATABLE (0)")
                .mapTo(Long.class).one();
        return sampled * 100;
    }

    /**
     * What {@link #runOnce} would do now, changing nothing: the partitions it would create and drop and the rows of
     * the default partition it would delete.
     */
    public Plan plan(CdrSettings settings) {
        Objects.requireNonNull(settings, "settings");
        List<Partition> partitions = list();
        java.util.Set<String> existing = new java.util.HashSet<>();
        partitions.forEach(p -> existing.add(p.name()));
        YearMonth now = YearMonth.now(clock);
        List<String> wouldCreate = new ArrayList<>();
        for (YearMonth m = now; !m.isAfter(now.plusMonths(settings.monthsAhead())); m = m.plusMonths(1)) {
            if (!existing.contains(partitionName(m))) {
                wouldCreate.add(partitionName(m));
            }
        }
        if (settings.keepForever()) {
            return new Plan(wouldCreate, null, List.of(), 0, partitions);
        }
        YearMonth keptFrom = now.minusMonths(settings.retentionMonths());
        LocalDateTime cutoff = keptFrom.atDay(1).atStartOfDay();
        List<String> wouldDrop = expired(partitions, cutoff).stream().map(Partition::name).toList();
        long deletions = SqlErrors.guard(() -> jdbi.withHandle(h -> {
            boolean hasDefault = h.createQuery("SELECT to_regclass(:name) IS NOT NULL").bind("name", DEFAULT_PARTITION)
                    .mapTo(Boolean.class).one();
            return hasDefault ? h.createQuery("SELECT count(*) FROM " + DEFAULT_PARTITION + " WHERE start_stamp < :cutoff")
                    .bind("cutoff", cutoff).mapTo(Long.class).one() : 0L;
        }));
        return new Plan(wouldCreate, keptFrom, wouldDrop, deletions, partitions);
    }

    /** Our own monthly partitions that end on or before {@code cutoff}; one attached by hand is the operator's. */
    private static List<Partition> expired(List<Partition> partitions, LocalDateTime cutoff) {
        return partitions.stream()
                .filter(p -> !p.isDefault() && p.to() != null && !p.to().isAfter(cutoff)
                        && MONTHLY_NAME.matcher(p.name()).matches())
                .toList();
    }

    /**
     * Retention: drops every monthly partition that ends before the first day of the month {@code months} months
     * before the current one, so that the current month and the {@code months} whole months before it are kept. Rows
     * of the default partition dated before that day are deleted too (a NULL start_stamp cannot be dated and is
     * kept). Each partition goes in its own transaction; the uuids it held become free again.
     *
     * @param months whole months to keep before the current one, at least 1
     */
    public Retention dropOlderThan(int months) {
        if (months < 1) {
            throw new IllegalArgumentException("months must be at least 1 (0 means keep forever: do not call), got "
                    + months);
        }
        YearMonth keptFrom = YearMonth.now(clock).minusMonths(months);
        LocalDateTime cutoff = keptFrom.atDay(1).atStartOfDay();
        List<String> dropped = new ArrayList<>();
        for (Partition p : expired(list(), cutoff)) {
            boolean gone = SqlErrors.guard(() -> jdbi.inTransaction(h -> {
                limitLockWaits(h);
                h.execute("SELECT pg_advisory_xact_lock(78340, -1)");
                // another server's run may have dropped it while this one waited for the lock
                boolean exists = h.createQuery("SELECT to_regclass(:name) IS NOT NULL").bind("name", p.name())
                        .mapTo(Boolean.class).one();
                if (exists) {
                    h.execute("DROP TABLE " + quote(p.name()));
                }
                return exists;
            }));
            if (gone) {
                dropped.add(p.name());
            }
        }
        long deleted = SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            limitLockWaits(h);
            boolean hasDefault = h.createQuery("SELECT to_regclass(:name) IS NOT NULL").bind("name", DEFAULT_PARTITION)
                    .mapTo(Boolean.class).one();
            return hasDefault ? h.createUpdate("DELETE FROM " + DEFAULT_PARTITION + " WHERE start_stamp < :cutoff")
                    .bind("cutoff", cutoff)
                    .execute() : 0;
        }));
        return new Retention(keptFrom, dropped, deleted);
    }

    /**
     * One full maintenance pass as {@code settings} ask: partitions through {@link CdrSettings#monthsAhead()} months
     * ahead, then retention unless records are kept forever.
     */
    public Report runOnce(CdrSettings settings) {
        Objects.requireNonNull(settings, "settings");
        long started = System.nanoTime();
        List<Created> created = ensureAhead(settings.monthsAhead());
        Retention retention = settings.keepForever() ? null : dropOlderThan(settings.retentionMonths());
        return new Report(created, retention, list(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** The partition name of {@code month}, e.g. {@code cdr_y2025m03}. */
    public static String partitionName(YearMonth month) {
        return String.format("cdr_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    private static void limitLockWaits(Handle h) {
        h.execute("SELECT set_config('lock_timeout', ?, true)", LOCK_TIMEOUT.toMillis() + "ms");
    }

    private static Partition partition(String name, String bound, long rows, long bytes, boolean exact) {
        boolean isDefault = "DEFAULT".equals(bound);
        Matcher m = bound == null ? null : RANGE.matcher(bound);
        if (m == null || !m.matches()) {
            // DEFAULT, or a partition attached by hand with MINVALUE/MAXVALUE bounds
            return new Partition(name, null, null, isDefault, rows, bytes, exact);
        }
        return new Partition(name, LocalDateTime.parse(m.group(1).replace(' ', 'T')),
                LocalDateTime.parse(m.group(2).replace(' ', 'T')), false, rows, bytes, exact);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}

package io.ominis.db;

import io.ominis.core.Page;
import io.ominis.core.switchstate.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of FreeSWITCH's {@code channels} table in memory, kept current by the {@code ominis_channels} notifications
 * that a trigger sends on every committed write (migration V14), so that the channel routes answer without a database
 * round trip: the copy is the table as of a moment ago, as a read replica is, only a millisecond behind instead of a
 * replay lag.
 *
 * <p>A notification names the uuid written; a background thread reads the rows of every uuid named since its last
 * read, in one query, and publishes an immutable {@link Snapshot}. Everything else is a full load: when the listening
 * connection is (re)established (what changed while nobody listened is unknown), after a {@code TRUNCATE}, after a
 * failed read, and every {@code reloadEvery} in any case, which repairs what no notification told: writes made with
 * {@code session_replication_role = replica}, or while the notification queue was over half full and the trigger kept
 * silent so as not to fail FreeSWITCH's write.
 *
 * <p>{@link #snapshot()} gives the copy only while it is current: loaded, and reloaded whole since any reason to doubt
 * it (a reconnect, a TRUNCATE, a failed read), its listener proved within the last few seconds
 * ({@link ChangeListener#healthy()}), and no notification waiting longer than {@link #MAX_PENDING} to be read.
 * Otherwise it gives nothing and callers read the table, so a database that is away or frozen is met as before.
 */
public final class ChannelMirror implements AutoCloseable {

    /** The notification channel of migration V14's trigger. */
    public static final String CHANNEL = "ominis_channels";

    /** Longest a notified change may wait to be read before the copy stops counting as current. */
    public static final Duration MAX_PENDING = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ChannelMirror.class);

    private final ChannelDao table;
    private final Duration reloadEvery;
    private final ChangeListener listener;
    private final Thread applier;
    private final Object lock = new Object();
    private final AtomicLong fullLoads = new AtomicLong();
    private final AtomicLong partialLoads = new AtomicLong();
    private final AtomicLong syncTokens = new AtomicLong();
    /** Tells this copy's {@link #catchUp} notifications from those of other servers on the same database. */
    private final String id = java.util.UUID.randomUUID().toString();

    // written under lock; the volatile ones are also read without it, by every request (snapshot())
    private Set<String> dirty = new HashSet<>();
    /** A full read asked for and not yet begun; the first is asked by the listener's first connection. */
    private boolean fullWanted;
    /**
     * Full reads asked for because the copy may be wrong (start, reconnect, TRUNCATE, failed read), and how many of
     * them a finished full read covers: while they differ, including during the read itself, the copy is not given out.
     * The periodic reload is not counted: the copy is current while it runs.
     */
    private volatile long reloadsWanted = 1;
    private volatile long reloadsDone;
    /** When the oldest notification not yet taken for reading arrived; 0 for none. */
    private volatile long pendingSinceNanos;
    /** When the oldest notification of the batch being read arrived; 0 while none is read. */
    private volatile long readingSinceNanos;
    private long lastSyncSeen;
    private boolean running = true;

    /** Owned by the applier thread: the rows of each uuid as last read. */
    private final Map<String, List<Channel>> rows = new HashMap<>();
    private volatile Snapshot published;
    private volatile long lastFullNanos;

    private ChannelMirror(Database db, ChangeListener.ConnectionSource source, Duration reloadEvery) {
        this.table = db.channels();
        this.reloadEvery = reloadEvery;
        // no periodic reload before the first one the listener asks for once it listens (reading before would be
        // read again at once)
        this.lastFullNanos = System.nanoTime();
        this.applier = new Thread(this::apply, "ominis-channel-mirror");
        this.applier.setDaemon(true);
        this.applier.start();
        this.listener = ChangeListener.start(source, CHANNEL, this::onChange, this::onResync);
    }

    /**
     * Starts mirroring {@code db}'s channels table, listening on a connection of its own from {@code source}.
     *
     * @param reloadEvery how often the whole table is read again whatever the notifications said
     */
    public static ChannelMirror start(Database db, ChangeListener.ConnectionSource source, Duration reloadEvery) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(source, "source");
        if (reloadEvery.isNegative() || reloadEvery.isZero()) {
            throw new IllegalArgumentException("reloadEvery must be positive, got " + reloadEvery);
        }
        return new ChannelMirror(db, source, reloadEvery);
    }

    /** The copy, or empty while it is not current (read the table instead). */
    public Optional<Snapshot> snapshot() {
        Snapshot s = published;
        if (s == null || !listener.healthy()) {
            return Optional.empty();
        }
        long reading = readingSinceNanos;
        long oldest = reading != 0 ? reading : pendingSinceNanos;
        if (reloadsDone < reloadsWanted || (oldest != 0 && System.nanoTime() - oldest > MAX_PENDING.toNanos())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Whether {@link #snapshot()} would give the copy now. */
    public boolean current() {
        return snapshot().isPresent();
    }

    /**
     * Waits until the copy holds every write committed before this call, for a caller that must read what it (or
     * FreeSWITCH, before telling it) just wrote: sends a notification of its own on the channel and waits for the
     * copy to have read past it (notifications arrive in commit order).
     *
     * @return whether the copy caught up and is current within {@code timeout}
     */
    public boolean catchUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // a notification sent while nobody listens is lost: send one only on a connection that listens, and send
            // another if that connection is replaced before it arrives
            if (!listener.connected()) {
                Thread.sleep(10);
                continue;
            }
            long connects = listener.connects();
            long token = syncTokens.incrementAndGet();
            try {
                table.notifyOn(CHANNEL, "sync:" + id + "-" + token);
            } catch (RuntimeException e) {
                LOG.debug("catch-up notification failed: {}", e.getMessage());
                Thread.sleep(10);
                continue;
            }
            synchronized (lock) {
                while ((lastSyncSeen < token || reloadsDone < reloadsWanted) && listener.connects() == connects) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    lock.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                }
                if (lastSyncSeen >= token && reloadsDone >= reloadsWanted) {
                    return current();
                }
            }
        }
        return false;
    }

    /** Full reads of the table so far. */
    public long fullLoads() {
        return fullLoads.get();
    }

    /** Reads of only the rows that notifications named, so far. */
    public long partialLoads() {
        return partialLoads.get();
    }

    /** The listener this copy relies on, for health and metrics. */
    public ChangeListener listener() {
        return listener;
    }

    private void onChange(ChangeListener.Change change) {
        synchronized (lock) {
            if (change.table().equals("sync")) {
                String prefix = id + "-";
                if (change.key().startsWith(prefix)) {
                    // read past it once everything before it is read: it joins the batch as a marker
                    dirty.add("\0" + change.key().substring(prefix.length()));
                    markPending();
                }
                return;
            }
            if (change.wholeTable() || change.key().isEmpty()) {
                wantReload(); // TRUNCATE, or a row without uuid, which a read by uuid cannot find
            } else {
                dirty.add(change.key());
            }
            markPending();
        }
    }

    private void markPending() {
        if (pendingSinceNanos == 0) {
            pendingSinceNanos = System.nanoTime();
        }
        lock.notifyAll();
    }

    /** Under lock: the copy may be wrong until a full read that starts after this. */
    private void wantReload() {
        fullWanted = true;
        reloadsWanted++;
    }

    private void onResync() {
        synchronized (lock) {
            wantReload();
            lock.notifyAll();
        }
    }

    private void apply() {
        long backoffMillis = 100;
        while (true) {
            Set<String> batch;
            boolean full;
            long covers;
            synchronized (lock) {
                try {
                    while (running && !fullWanted && dirty.isEmpty()) {
                        long waitMillis = (lastFullNanos + reloadEvery.toNanos() - System.nanoTime()) / 1_000_000;
                        if (waitMillis <= 0) {
                            break;
                        }
                        lock.wait(waitMillis);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (!running) {
                    return;
                }
                full = fullWanted || System.nanoTime() - lastFullNanos >= reloadEvery.toNanos();
                covers = full ? reloadsWanted : -1;
                fullWanted = false;
                batch = dirty;
                dirty = new HashSet<>();
                readingSinceNanos = pendingSinceNanos;
                pendingSinceNanos = 0;
            }
            long syncSeen = 0;
            Set<String> uuids = new HashSet<>();
            for (String key : batch) {
                if (key.startsWith("\0")) {
                    syncSeen = Math.max(syncSeen, Long.parseLong(key.substring(1)));
                } else {
                    uuids.add(key);
                }
            }
            try {
                if (full) {
                    // covers every notification taken with it: they were sent before this read began
                    load(table.all(), null);
                    lastFullNanos = System.nanoTime();
                    fullLoads.incrementAndGet();
                } else if (!uuids.isEmpty()) {
                    load(table.withUuids(uuids), uuids);
                    partialLoads.incrementAndGet();
                }
                synchronized (lock) {
                    lastSyncSeen = Math.max(lastSyncSeen, syncSeen);
                    readingSinceNanos = 0;
                    if (covers > reloadsDone) {
                        reloadsDone = covers;
                    }
                    lock.notifyAll();
                }
                backoffMillis = 100;
            } catch (RuntimeException e) {
                LOG.warn("channel mirror could not read channels ({}); answering from the table until it can",
                        e.getMessage());
                synchronized (lock) {
                    published = null;
                    wantReload();
                    readingSinceNanos = 0;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /** Replaces the rows of {@code uuids} (of every uuid when null) by {@code read}, and publishes the result. */
    private void load(List<Channel> read, Set<String> uuids) {
        if (uuids == null) {
            rows.clear();
        } else {
            uuids.forEach(rows::remove);
        }
        for (Channel c : read) {
            rows.computeIfAbsent(c.uuid() == null ? "" : c.uuid(), k -> new ArrayList<>(1)).add(c);
        }
        published = Snapshot.of(rows);
    }

    @Override
    public void close() {
        listener.close();
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        applier.interrupt();
        try {
            applier.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The channels table at one moment, immutable: a listing and its total, or several reads of one request, see the
     * same rows. Matches, order and cursors are those of {@link ChannelDao}.
     */
    public static final class Snapshot implements ChannelReads {

        /** The listing's order: created_epoch (NULL last), uuid, hostname, text in byte order. */
        static final Comparator<Channel> ORDER = Comparator
                .comparingLong((Channel c) -> epochKey(c))
                .thenComparing(c -> c.uuid() == null ? "" : c.uuid(), Snapshot::bytewise)
                .thenComparing(c -> c.hostname() == null ? "" : c.hostname(), Snapshot::bytewise);

        private final Channel[] sorted;
        private final Map<String, List<Channel>> byUuid;

        private Snapshot(Channel[] sorted, Map<String, List<Channel>> byUuid) {
            this.sorted = sorted;
            this.byUuid = byUuid;
        }

        static Snapshot of(Map<String, List<Channel>> rows) {
            List<Channel> all = new ArrayList<>();
            Map<String, List<Channel>> byUuid = new HashMap<>(rows.size() * 2);
            rows.forEach((uuid, list) -> {
                all.addAll(list);
                byUuid.put(uuid, List.copyOf(list));
            });
            Channel[] sorted = all.toArray(new Channel[0]);
            Arrays.sort(sorted, ORDER);
            return new Snapshot(sorted, Collections.unmodifiableMap(byUuid));
        }

        /** How many rows the copy holds. */
        public int size() {
            return sorted.length;
        }

        @Override
        public Optional<Channel> find(String uuid) {
            List<Channel> same = uuid == null ? null : byUuid.get(uuid);
            if (same == null || same.isEmpty()) {
                return Optional.empty();
            }
            // ORDER BY created_epoch DESC LIMIT 1, where PostgreSQL sorts NULL first in descending order
            return same.stream().max(Comparator.comparingLong(Snapshot::epochKey));
        }

        @Override
        public Page<Channel, List<String>> page(ChannelDao.Query query, List<String> after) {
            List<String> key = Rows.key(after, 3);
            int from = 0;
            if (!key.isEmpty()) {
                long epoch = Rows.keyNumber(key, 0);
                String uuid = key.get(1);
                String hostname = key.get(2);
                from = firstAfter(epoch, uuid, hostname);
            }
            List<Channel> out = new ArrayList<>(Math.min(query.limit() + 1, sorted.length));
            for (int i = from; i < sorted.length && out.size() <= query.limit(); i++) {
                if (matches(sorted[i], query)) {
                    out.add(sorted[i]);
                }
            }
            return Rows.page(out, query.limit(), ChannelDao::key);
        }

        @Override
        public long countMatching(ChannelDao.Query query) {
            long n = 0;
            for (Channel c : sorted) {
                if (matches(c, query)) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public long count(String hostname) {
            if (hostname == null) {
                return sorted.length;
            }
            long n = 0;
            for (Channel c : sorted) {
                if (hostname.equals(c.hostname())) {
                    n++;
                }
            }
            return n;
        }

        /** Index of the first row whose key is greater than the cursor's. */
        private int firstAfter(long epoch, String uuid, String hostname) {
            int low = 0;
            int high = sorted.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (compareToKey(sorted[mid], epoch, uuid, hostname) <= 0) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        private static int compareToKey(Channel c, long epoch, String uuid, String hostname) {
            int byEpoch = Long.compare(epochKey(c), epoch);
            if (byEpoch != 0) {
                return byEpoch;
            }
            int byUuid = bytewise(c.uuid() == null ? "" : c.uuid(), uuid);
            return byUuid != 0 ? byUuid : bytewise(c.hostname() == null ? "" : c.hostname(), hostname);
        }

        // A filter matches only an equal value: a NULL column matches no filter, as "column = ?" in SQL.
        private static boolean matches(Channel c, ChannelDao.Query q) {
            return (q.hostname() == null || q.hostname().equals(c.hostname()))
                    && (q.state() == null || q.state().equals(c.state()))
                    && (q.context() == null || q.context().equals(c.context()))
                    && (q.direction() == null || q.direction().equals(c.direction()))
                    && (q.callstate() == null || q.callstate().equals(c.callstate()));
        }

        private static long epochKey(Channel c) {
            return c.createdEpoch() == null ? Integer.MAX_VALUE : c.createdEpoch();
        }

        /** Code point order, which is the byte order of UTF-8 and so PostgreSQL's {@code COLLATE "C"}. */
        static int bytewise(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(j);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return Boolean.compare(i < a.length(), j < b.length());
        }
    }
}

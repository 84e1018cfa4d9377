package io.ominis.db;

import static io.ominis.db.FreeSwitch.channelCallstate;
import static io.ominis.db.FreeSwitch.channelCreate;
import static io.ominis.db.FreeSwitch.channelState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.Page;
import io.ominis.core.switchstate.Channel;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.fault.TcpProxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-memory copy of {@code channels} against the table itself: every write FreeSWITCH makes reaches it through the
 * trigger's notifications (not by reloading), it answers every filter, page and cursor exactly as {@link ChannelDao},
 * it steps aside while its listener is down, and its periodic reload repairs writes no notification told.
 */
class ChannelMirrorTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Database database;

    @BeforeEach
    void clean() throws SQLException {
        database = Database.create(db.dataSource());
        FreeSwitch.run(db, "DELETE FROM channels");
    }

    @Test
    void followsEveryWriteFreeSwitchMakesThroughNotificationsAlone() throws Exception {
        try (ChannelMirror mirror = ChannelMirror.start(database, db::connect, Duration.ofHours(1))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            long fullLoads = mirror.fullLoads();
            assertThat(mirror.snapshot().orElseThrow().size()).isZero();

            FreeSwitch.run(db, channelCreate("u-1", "inbound", 1_700_000_000L, "sofia/internal/1001@pbx", "fs1",
                    "Alice", "1001", "7000"), channelState("u-1", "CS_EXECUTE"), channelCallstate("u-1", "ACTIVE"),
                    channelCreate("u-2", "outbound", 1_700_000_001L, "sofia/internal/1002@pbx", "fs1", "Bob", "1002",
                            "1002"));
            assertThat(mirror.catchUp(WAIT)).isTrue();
            ChannelMirror.Snapshot s = mirror.snapshot().orElseThrow();
            assertThat(s.find("u-1")).get().extracting(Channel::state, Channel::callstate, Channel::initialCidName)
                    .containsExactly("CS_EXECUTE", "ACTIVE", "Alice");
            assertThat(s.find("u-1")).isEqualTo(database.channels().find("u-1"));
            assertThat(s.count(null)).isEqualTo(2);

            // FreeSWITCH renames a channel in place (switch_core_session_set_uuid), and deletes it on destroy
            FreeSwitch.run(db, "update channels set uuid='u-1b' where uuid='u-1'",
                    "delete from channels where uuid='u-2' and hostname='fs1'");
            assertThat(mirror.catchUp(WAIT)).isTrue();
            s = mirror.snapshot().orElseThrow();
            assertThat(s.find("u-1")).isEmpty();
            assertThat(s.find("u-2")).isEmpty();
            assertThat(s.find("u-1b")).get().extracting(Channel::initialCidName).isEqualTo("Alice");
            assertThat(s.count(null)).isEqualTo(1);

            // a rolled-back write tells nothing; TRUNCATE empties the copy
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(channelCreate("u-9", "inbound", 1L, "x", "fs1", "", "", ""));
                }
                c.rollback();
            }
            assertThat(mirror.catchUp(WAIT)).isTrue();
            assertThat(mirror.snapshot().orElseThrow().find("u-9")).isEmpty();
            assertThat(mirror.fullLoads()).as("changes came as notifications, not reloads").isEqualTo(fullLoads);
            assertThat(mirror.partialLoads()).isGreaterThanOrEqualTo(2);

            FreeSwitch.run(db, "TRUNCATE channels");
            assertThat(mirror.catchUp(WAIT)).isTrue();
            assertThat(mirror.snapshot().orElseThrow().size()).isZero();
        }
    }

    @Test
    void answersEveryFilterPageAndCursorAsTheTable() throws Exception {
        Random random = new Random(42);
        List<String> statements = new ArrayList<>();
        String[] hosts = {"fs1", "fs2", "FS-3", "\u00e9t\u00e9", null};
        String[] states = {"CS_EXECUTE", "CS_PARK", null};
        String[] contexts = {"default", "public", null};
        String[] directions = {"inbound", "outbound", null};
        String[] callstates = {"ACTIVE", "RINGING", null};
        for (int i = 0; i < 120; i++) {
            // few distinct creation seconds, so that the uuid and the switch decide the order; a stale row of a
            // dead switch shares a uuid with a live one; some uuids sort differently by bytes than by collation
            String uuid = i % 17 == 0 ? "shared" : (i % 5 == 0 ? "Z-" : "a-") + Integer.toString(random.nextInt(1000), 36)
                    + (i % 7 == 0 ? "\u00fc" : "") + "-" + i;
            Integer epoch = i % 11 == 0 ? null : 1_700_000_000 + random.nextInt(4);
            statements.add("INSERT INTO channels (uuid, created_epoch, hostname, state, context, direction, callstate) "
                    + "VALUES (" + lit(uuid) + ", " + epoch + ", "
                    // rows sharing a uuid are on different switches: equal keys would leave their order to chance
                    + lit(uuid.equals("shared") ? "gone-" + i : pick(random, hosts)) + ", "
                    + lit(pick(random, states)) + ", " + lit(pick(random, contexts)) + ", "
                    + lit(pick(random, directions)) + ", " + lit(pick(random, callstates)) + ")");
        }
        statements.add("INSERT INTO channels (uuid, created_epoch, hostname) VALUES (NULL, 1700000001, 'fs1')");
        FreeSwitch.run(db, statements.toArray(String[]::new));

        try (ChannelMirror mirror = ChannelMirror.start(database, db::connect, Duration.ofHours(1))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            ChannelMirror.Snapshot copy = mirror.snapshot().orElseThrow();
            ChannelDao table = database.channels();
            assertThat(copy.size()).isEqualTo(121);
            int compared = 0;
            for (String host : hosts) {
                for (String state : states) {
                    for (String direction : directions) {
                        for (int limit : new int[] {1, 7, 1000}) {
                            ChannelDao.Query q = new ChannelDao.Query(host, state, null, direction, null, limit);
                            assertThat(walk(copy, q)).as("%s", q).isEqualTo(walk(table, q));
                            assertThat(copy.countMatching(q)).as("%s", q).isEqualTo(table.countMatching(q));
                            compared++;
                        }
                    }
                }
                assertThat(copy.count(host)).isEqualTo(table.count(host));
            }
            for (String context : contexts) {
                for (String callstate : callstates) {
                    ChannelDao.Query q = new ChannelDao.Query(null, null, context, null, callstate, 5);
                    assertThat(walk(copy, q)).as("%s", q).isEqualTo(walk(table, q));
                }
            }
            assertThat(compared).isEqualTo(hosts.length * states.length * directions.length * 3);
            for (Channel c : table.list(ChannelDao.Query.first(1000))) {
                if (c.uuid() != null && !c.uuid().equals("shared")) {
                    assertThat(copy.find(c.uuid())).as(c.uuid()).isEqualTo(table.find(c.uuid()));
                }
            }
            // the newest of the rows sharing a uuid wins, a row without created_epoch first, as ORDER BY ... DESC
            assertThat(copy.find("shared").orElseThrow().createdEpoch()).isNull();
            assertThat(table.find("shared").orElseThrow().createdEpoch()).isNull();
            assertThat(copy.find("nobody")).isEmpty();
            // a cursor of another shape is refused alike
            assertThatThrownBy(() -> copy.page(ChannelDao.Query.first(5), List.of("soon", "x", "y")))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
            assertThatThrownBy(() -> copy.page(ChannelDao.Query.first(5), List.of("1")))
                    .isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void stepsAsideWhileItsListenerIsDownAndReloadsWhenItIsBack() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean();
        ChangeListener.ConnectionSource flaky = () -> {
            if (refuse.get()) {
                throw new SQLException("refused by the test");
            }
            return db.connect();
        };
        try (ChannelMirror mirror = ChannelMirror.start(database, flaky, Duration.ofHours(1))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            long fullLoads = mirror.fullLoads();
            refuse.set(true);
            mirror.listener().dropConnection();
            waitFor(() -> !mirror.current());
            assertThat(mirror.snapshot()).isEmpty();
            // written while nobody listened: no notification will tell it
            FreeSwitch.run(db, channelCreate("while-down", "inbound", 1_700_000_000L, "x", "fs1", "", "", ""));
            refuse.set(false);
            assertThat(mirror.catchUp(WAIT)).isTrue();
            assertThat(mirror.fullLoads()).isGreaterThan(fullLoads);
            assertThat(mirror.snapshot().orElseThrow().find("while-down")).isPresent();
        }
    }

    @Test
    void stepsAsideWhenItsListeningConnectionFreezesRatherThanServeAnOldCopy() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(db.host(), db.port());
             ChannelMirror mirror = ChannelMirror.start(database, () -> java.sql.DriverManager.getConnection(
                     db.jdbcUrl().replace(db.host() + ":" + db.port(), proxy.host() + ":" + proxy.port())),
                     Duration.ofHours(1))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            // half-open: the socket stays up, nothing comes back, so no notification can arrive either
            proxy.freezeExisting();
            long frozen = System.nanoTime();
            waitFor(() -> !mirror.current());
            Duration noticed = Duration.ofNanos(System.nanoTime() - frozen);
            assertThat(noticed).as("stepped aside after").isLessThan(ChangeListener.STALE_AFTER
                    .plus(ChangeListener.HEARTBEAT_TIMEOUT).plusSeconds(1));
            assertThat(mirror.snapshot()).isEmpty();
        }
    }

    @Test
    void itsPeriodicReloadRepairsWritesNoNotificationTold() throws Exception {
        try (ChannelMirror mirror = ChannelMirror.start(database, db::connect, Duration.ofMillis(300))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            // replica mode skips triggers, as a restore or logical replication does
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("SET session_replication_role = replica");
                st.execute(channelCreate("untold", "inbound", 1_700_000_000L, "x", "fs1", "", "", ""));
            }
            assertThat(mirror.catchUp(WAIT)).isTrue();
            waitFor(() -> mirror.snapshot().flatMap(s -> s.find("untold")).isPresent());
        }
    }

    @Test
    void endsEqualToTheTableAfterConcurrentWriters() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (ChannelMirror mirror = ChannelMirror.start(database, db::connect, Duration.ofHours(1))) {
            assertThat(mirror.catchUp(WAIT)).isTrue();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    Random random = new Random(writer);
                    for (int i = 0; i < 150; i++) {
                        String uuid = "w" + writer + "-" + random.nextInt(40);
                        FreeSwitch.run(db, switch (random.nextInt(4)) {
                            case 0 -> "DELETE FROM channels WHERE uuid = '" + uuid + "'";
                            case 1 -> channelState(uuid, "CS_PARK");
                            case 2 -> channelCallstate(uuid, "ACTIVE");
                            default -> channelCreate(uuid, "inbound", 1_700_000_000L + i, "x", "fs" + writer, "",
                                    "", "");
                        });
                        // readers meanwhile see a consistent copy: its listing and its count agree
                        mirror.snapshot().ifPresent(s -> assertThat(s.page(ChannelDao.Query.first(1000), null)
                                .items()).hasSize((int) s.count(null)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(mirror.catchUp(WAIT)).isTrue();
            ChannelDao.Query all = ChannelDao.Query.first(1000);
            assertThat(walk(mirror.snapshot().orElseThrow(), all)).isEqualTo(walk(database.channels(), all))
                    .hasSizeGreaterThan(1);
        } finally {
            writers.shutdownNow();
        }
    }

    /** Every page of {@code q}, following the cursors; the pages' items and cursors. */
    private static List<Object> walk(ChannelReads reads, ChannelDao.Query q) {
        List<Object> out = new ArrayList<>();
        List<String> after = null;
        do {
            Page<Channel, List<String>> page = reads.page(q, after);
            out.addAll(page.items());
            out.add(page.next());
            after = page.next();
        } while (after != null);
        return out;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String lit(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}

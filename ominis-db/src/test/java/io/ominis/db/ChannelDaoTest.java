package io.ominis.db;

import static io.ominis.db.FreeSwitch.channelCallstate;
import static io.ominis.db.FreeSwitch.channelCodec;
import static io.ominis.db.FreeSwitch.channelCreate;
import static io.ominis.db.FreeSwitch.channelRouting;
import static io.ominis.db.FreeSwitch.channelState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.InvalidValueException;
import io.ominis.core.UnavailableException;
import io.ominis.core.switchstate.Channel;
import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChannelDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private ChannelDao channels;

    @BeforeEach
    void clean() throws SQLException {
        channels = Database.create(db.dataSource()).channels();
        FreeSwitch.run(db, "DELETE FROM channels");
    }

    @Test
    void readsEveryColumnFreeSwitchWritesOverAChannelsLife() throws SQLException {
        FreeSwitch.run(db,
                channelCreate("u-1", "inbound", 1700000000L, "sofia/internal/1001@pbx", "fs1", "Alice", "1001", "7000"),
                channelRouting("u-1", "Alice", "1001", "7000"),
                channelCallstate("u-1", "RINGING"),
                channelCodec("u-1"),
                channelState("u-1", "CS_EXECUTE"),
                channelCallstate("u-1", "ACTIVE"));

        Channel c = channels.find("u-1").orElseThrow();
        assertThat(c.uuid()).isEqualTo("u-1");
        assertThat(c.direction()).isEqualTo("inbound");
        assertThat(c.created()).isEqualTo("2023-11-14 22:13:20");
        assertThat(c.createdEpoch()).isEqualTo(1700000000);
        assertThat(c.name()).isEqualTo("sofia/internal/1001@pbx");
        assertThat(c.state()).isEqualTo("CS_EXECUTE");
        assertThat(c.callstate()).isEqualTo("ACTIVE");
        assertThat(c.cidName()).isEqualTo("Alice");
        assertThat(c.cidNum()).isEqualTo("1001");
        assertThat(c.ipAddr()).isEqualTo("10.0.0.5");
        assertThat(c.dest()).isEqualTo("7000");
        assertThat(c.dialplan()).isEqualTo("XML");
        assertThat(c.context()).isEqualTo("default");
        assertThat(c.readCodec()).isEqualTo("PCMU");
        assertThat(c.readRate()).isEqualTo("8000");
        assertThat(c.readBitRate()).isEqualTo("64000");
        assertThat(c.writeCodec()).isEqualTo("PCMU");
        assertThat(c.writeRate()).isEqualTo("8000");
        assertThat(c.writeBitRate()).isEqualTo("64000");
        assertThat(c.hostname()).isEqualTo("fs1");
        assertThat(c.presenceId()).isEqualTo("1001@example.com");
        assertThat(c.calleeName()).isEmpty();
        assertThat(c.initialCidName()).isEqualTo("Alice");
        assertThat(c.initialCidNum()).isEqualTo("1001");
        assertThat(c.initialIpAddr()).isEqualTo("10.0.0.5");
        assertThat(c.initialDest()).isEqualTo("7000");
        assertThat(c.initialDialplan()).isEqualTo("XML");
        assertThat(c.initialContext()).isEqualTo("default");
        // columns no event has written yet stay null
        assertThat(c.application()).isNull();
        assertThat(c.secure()).isNull();
        assertThat(c.callUuid()).isNull();
    }

    @Test
    void findsByUuidOptionallyOnOneSwitch() throws SQLException {
        FreeSwitch.run(db,
                channelCreate("u-1", "inbound", 1700000000L, "sofia/a", "fs1", "A", "1001", "7000"),
                // a stale row left by a switch that died under another name
                channelCreate("u-1", "inbound", 1690000000L, "sofia/a", "fs-dead", "A", "1001", "7000"));
        assertThat(channels.find("u-1").orElseThrow().hostname()).isEqualTo("fs1");
        assertThat(channels.find("u-1", "fs-dead").orElseThrow().createdEpoch()).isEqualTo(1690000000);
        assertThat(channels.find("u-1", "fs2")).isEmpty();
        assertThat(channels.find("nope")).isEmpty();
    }

    @Test
    void listsByHostnameAndWithFiltersInCreationOrder() throws SQLException {
        FreeSwitch.run(db,
                channelCreate("c", "inbound", 1700000002L, "sofia/c", "fs1", "C", "1003", "7000"),
                channelCreate("a", "outbound", 1700000001L, "sofia/a", "fs1", "A", "1001", "7000"),
                channelCreate("b", "inbound", 1700000001L, "sofia/b", "fs1", "B", "1002", "7000"),
                channelCreate("d", "inbound", 1700000000L, "sofia/d", "fs2", "D", "1004", "7000"),
                channelState("b", "CS_EXECUTE"),
                channelCallstate("b", "ACTIVE"));

        assertThat(channels.listByHostname("fs1")).extracting(Channel::uuid).containsExactly("a", "b", "c");
        assertThat(channels.listByHostname("fs9")).isEmpty();
        assertThat(channels.list(ChannelDao.Query.first(10))).extracting(Channel::uuid).containsExactly("d", "a", "b", "c");
        assertThat(channels.list(ChannelDao.Query.first(2))).extracting(Channel::uuid).containsExactly("d", "a");
        assertThat(channels.list(new ChannelDao.Query("fs1", null, null, "inbound", null, 10)))
                .extracting(Channel::uuid).containsExactly("b", "c");
        assertThat(channels.list(new ChannelDao.Query(null, "CS_EXECUTE", "default", null, "ACTIVE", 10)))
                .extracting(Channel::uuid).containsExactly("b");
        assertThat(channels.list(new ChannelDao.Query(null, null, "public", null, null, 10))).isEmpty();
        assertThat(channels.list(new ChannelDao.Query(null, "CS_INIT", null, null, "DOWN", 10)))
                .extracting(Channel::uuid).containsExactly("d", "a", "c");
    }

    @Test
    void counts() throws SQLException {
        assertThat(channels.count()).isZero();
        FreeSwitch.run(db,
                channelCreate("a", "inbound", 1700000000L, "sofia/a", "fs1", "A", "1001", "7000"),
                channelCreate("b", "inbound", 1700000000L, "sofia/b", "fs1", "B", "1002", "7000"),
                channelCreate("c", "inbound", 1700000000L, "sofia/c", "fs2", "C", "1003", "7000"));
        assertThat(channels.count()).isEqualTo(3);
        assertThat(channels.count("fs1")).isEqualTo(2);
        assertThat(channels.count("fs3")).isZero();
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> ChannelDao.Query.first(0))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> ChannelDao.Query.first(ChannelDao.MAX_LIMIT + 1)).isInstanceOf(InvalidValueException.class);
        assertThat(ChannelDao.Query.first(ChannelDao.MAX_LIMIT).limit()).isEqualTo(1000);
    }

    @Test
    void reportsEachQueryUnderItsDaoMethodAndTranslatesFailures() throws SQLException {
        FreeSwitch.run(db, channelCreate("a", "inbound", 1700000000L, "sofia/a", "fs1", "A", "1001", "7000"));
        List<String> seen = new CopyOnWriteArrayList<>();
        ChannelDao timed = Database.create(db.dataSource(), new ObjectMapper(),
                (name, elapsed, succeeded) -> seen.add(name + (succeeded ? "" : " failed"))).channels();
        timed.find("a");
        timed.list(ChannelDao.Query.first(10));
        timed.count("fs1");
        timed.listByHostname("fs1");
        assertThat(seen).containsExactly("ChannelDao.find", "ChannelDao.list", "ChannelDao.count",
                "ChannelDao.listByHostname");

        DataSource down = new PGSimpleDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLTransientConnectionException("pool exhausted");
            }
        };
        assertThatThrownBy(() -> Database.create(down).channels().count()).isInstanceOf(UnavailableException.class);
    }
}

package io.ominis.db;

import static io.ominis.db.FreeSwitch.channelBridge;
import static io.ominis.db.FreeSwitch.channelCodec;
import static io.ominis.db.FreeSwitch.channelCreate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.DetailedCall;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CallDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private CallDao calls;

    @BeforeEach
    void setUp() throws SQLException {
        calls = Database.create(db.dataSource()).calls();
        FreeSwitch.run(db, "DELETE FROM calls", "DELETE FROM channels");
        // fs1: a bridged pair (a -> b) and a lone channel c; fs2: a bridged pair (x -> y)
        FreeSwitch.run(db,
                channelCreate("a", "inbound", 1700000000L, "sofia/internal/1001", "fs1", "Alice", "1001", "1002"),
                channelCreate("b", "outbound", 1700000001L, "sofia/internal/1002", "fs1", "Bob", "1002", "1002"),
                channelCreate("c", "inbound", 1700000002L, "sofia/internal/1003", "fs1", "Carol", "1003", "9999"),
                FreeSwitch.channelRouting("a", "Alice", "1001", "1002"),
                FreeSwitch.channelRouting("b", "Bob", "1002", "1002"),
                channelCodec("b"),
                channelCreate("x", "inbound", 1700000003L, "sofia/external/x", "fs2", "X", "5550001", "7000"),
                channelCreate("y", "outbound", 1700000004L, "sofia/external/y", "fs2", "Y", "5550002", "7000"));
        FreeSwitch.run(db, channelBridge("a", "a", "b", 1700000005L, "fs1"));
        FreeSwitch.run(db, channelBridge("x", "x", "y", 1700000006L, "fs2"));
    }

    @Test
    void listsBridgesPerSwitch() {
        assertThat(calls.list(null)).extracting(Call::callUuid).containsExactly("a", "x");
        List<Call> fs1 = calls.list("fs1");
        assertThat(fs1).containsExactly(new Call("a", "2023-11-14 22:13:25", 1700000005, "a", "b", "fs1"));
        assertThat(calls.list("fs3")).isEmpty();
    }

    @Test
    void detailedCallsShowABridgedPairAsOneRowAndALoneChannelWithoutCallee() {
        List<DetailedCall> rows = calls.detailedCalls("fs1", 100);
        assertThat(rows).extracting(r -> r.caller().uuid()).containsExactly("a", "c");

        DetailedCall bridged = rows.get(0);
        assertThat(bridged.bridged()).isTrue();
        assertThat(bridged.callCreatedEpoch()).isEqualTo(1700000005);
        assertThat(bridged.caller().cidName()).isEqualTo("Alice");
        assertThat(bridged.caller().callUuid()).isEqualTo("a");
        assertThat(bridged.callee().uuid()).isEqualTo("b");
        assertThat(bridged.callee().direction()).isEqualTo("outbound");
        assertThat(bridged.callee().createdEpoch()).isEqualTo(1700000001);
        assertThat(bridged.callee().readCodec()).isEqualTo("PCMU");
        assertThat(bridged.callee().hostname()).isEqualTo("fs1");
        assertThat(bridged.callee().callUuid()).isEqualTo("a");
        // the view has no initial_* columns
        assertThat(bridged.caller().initialCidName()).isNull();
        assertThat(bridged.callee().initialDest()).isNull();

        DetailedCall lone = rows.get(1);
        assertThat(lone.bridged()).isFalse();
        assertThat(lone.callee()).isNull();
        assertThat(lone.callCreatedEpoch()).isNull();
        assertThat(lone.caller().name()).isEqualTo("sofia/internal/1003");
    }

    @Test
    void theCalleeLegNeverAppearsAsCaller() {
        List<DetailedCall> all = calls.detailedCalls(null, 100);
        assertThat(all).extracting(r -> r.caller().uuid()).containsExactly("a", "c", "x").doesNotContain("b", "y");
        assertThat(calls.detailedCalls("fs2", 100)).singleElement()
                .satisfies(r -> assertThat(r.callee().uuid()).isEqualTo("y"));
        assertThat(calls.detailedCalls(null, 2)).hasSize(2);
    }

    @Test
    void basicCallsCarryTheNarrowerColumnSet() {
        List<DetailedCall> rows = calls.basicCalls("fs1", 100);
        assertThat(rows).extracting(r -> r.caller().uuid()).containsExactly("a", "c");
        DetailedCall bridged = rows.get(0);
        assertThat(bridged.callee().uuid()).isEqualTo("b");
        assertThat(bridged.callee().cidName()).isEqualTo("Bob");
        assertThat(bridged.caller().hostname()).isEqualTo("fs1");
        // basic_calls has no codec columns and no b_hostname / b_call_uuid
        assertThat(bridged.callee().readCodec()).isNull();
        assertThat(bridged.callee().hostname()).isNull();
        assertThat(bridged.callee().callUuid()).isNull();
        assertThat(rows.get(1).callee()).isNull();
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> calls.detailedCalls(null, 0)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> calls.basicCalls(null, CallDao.MAX_LIMIT + 1)).isInstanceOf(InvalidValueException.class);
    }
}

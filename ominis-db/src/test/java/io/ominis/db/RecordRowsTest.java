package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.Member;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.cdr.Cdr;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.CommandAlias;
import io.ominis.core.switchstate.NatMapping;
import io.ominis.core.switchstate.RecoveryEntry;
import io.ominis.core.switchstate.Registration;
import io.ominis.core.switchstate.ScheduledTask;
import io.ominis.core.switchstate.SwitchInterface;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RecordRows reads a column the result lacks as null, which the views need; so a renamed record component would
 * silently read as null. These checks pin every mapped record to its table's columns.
 */
class RecordRowsTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @Test
    void channelComponentsAreTheThirtyEightColumnsInOrder() {
        assertThat(columnsOf(Channel.class)).containsExactlyElementsOf(Channel.COLUMNS);
    }

    @Test
    void everyMappedRecordComponentNamesATableColumn() throws SQLException {
        check(Channel.class, "channels");
        check(Call.class, "calls");
        check(Registration.class, "registrations");
        check(RecoveryEntry.class, "recovery");
        check(CommandAlias.class, "aliases");
        check(ScheduledTask.class, "tasks");
        check(NatMapping.class, "nat");
        check(SwitchInterface.class, "interfaces");
        check(Agent.class, "agents");
        check(Tier.class, "tiers");
        check(Member.class, "members");
        check(Cdr.class, "cdr");
    }

    @Test
    void snakeCase() {
        assertThat(RecordRows.snakeCase("readBitRate")).isEqualTo("read_bit_rate");
        assertThat(RecordRows.snakeCase("uuid")).isEqualTo("uuid");
    }

    private static void check(Class<? extends Record> type, String table) throws SQLException {
        assertThat(FreeSwitch.columnNames(db, "SELECT * FROM " + table + " LIMIT 0")).as(type.getSimpleName() + " vs " + table).containsAll(columnsOf(type));
    }

    private static List<String> columnsOf(Class<? extends Record> type) {
        return Stream.of(type.getRecordComponents()).map(c -> RecordRows.snakeCase(c.getName())).toList();
    }
}

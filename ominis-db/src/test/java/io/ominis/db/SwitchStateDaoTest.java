package io.ominis.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.core.switchstate.CommandAlias;
import io.ominis.core.switchstate.Completion;
import io.ominis.core.switchstate.NatMapping;
import io.ominis.core.switchstate.RecoveryEntry;
import io.ominis.core.switchstate.ScheduledTask;
import io.ominis.core.switchstate.SwitchInterface;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rows are written with the INSERTs of switch_core_sqldb.c and switch_console.c (v1.10.12). */
class SwitchStateDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private SwitchStateDao state;

    @BeforeAll
    static void rows() throws SQLException {
        FreeSwitch.run(db,
                "insert into recovery (runtime_uuid, technology, profile_name, hostname, uuid, metadata) "
                        + "values ('rt-1','sofia','internal','fs1','call-1','<cdr/>')",
                "insert into recovery (runtime_uuid, technology, profile_name, hostname, uuid, metadata) "
                        + "values ('rt-2','sofia','external','fs2','call-2','<cdr/>')",
                "insert into complete (sticky, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, hostname) "
                        + "values (1,'show', 'channels', '', '', '', '', '', '', '', '',  'fs1')",
                "insert into aliases (sticky, alias, command, hostname) values (0, 'sc','show channels','fs1')",
                "insert into aliases (sticky, alias, command, hostname) values (1, 'st','status','fs2')",
                "insert into tasks (task_id, task_desc, task_group, task_runtime, task_sql_manager, hostname) "
                        + "values(2,'heartbeat','core',1700000020,0,'fs1')",
                "insert into tasks (task_id, task_desc, task_group, task_runtime, task_sql_manager, hostname) "
                        + "values(1,'check_ip','core',1700000010,0,'fs1')",
                "insert into nat (port, proto, sticky, hostname) values (5060, 0, 0,'fs1')",
                "insert into interfaces (type,name,description,syntax,ikey,filename,hostname) "
                        + "values('api','show','Show various reports','codec|channels','mod_commands',"
                        + "'/usr/lib/freeswitch/mod/mod_commands.so','fs1')",
                "insert into interfaces (type,name,description,syntax,ikey,filename,hostname) "
                        + "values('application','callcenter','CallCenter','queue_name','mod_callcenter',"
                        + "'/usr/lib/freeswitch/mod/mod_callcenter.so','fs1')");
    }

    @BeforeEach
    void setUp() {
        state = Database.create(db.dataSource()).switchState();
    }

    @Test
    void recovery() {
        assertThat(state.recovery("fs1"))
                .containsExactly(new RecoveryEntry("rt-1", "sofia", "internal", "fs1", "call-1", "<cdr/>"));
        assertThat(state.recovery(null)).extracting(RecoveryEntry::uuid).containsExactly("call-1", "call-2");
    }

    @Test
    void completionsKeepTheTenWordColumnsInOrder() {
        List<Completion> rules = state.completions("fs1");
        assertThat(rules).singleElement().satisfies(c -> {
            assertThat(c.sticky()).isEqualTo(1);
            assertThat(c.words()).isEqualTo(Arrays.asList("show", "channels", "", "", "", "", "", "", "", ""));
            assertThat(c.hostname()).isEqualTo("fs1");
        });
        assertThat(state.completions("fs2")).isEmpty();
    }

    @Test
    void aliases() {
        assertThat(state.aliases("fs1")).containsExactly(new CommandAlias(0, "sc", "show channels", "fs1"));
        assertThat(state.aliases(null)).hasSize(2);
    }

    @Test
    void tasksByTaskId() {
        assertThat(state.tasks("fs1")).containsExactly(
                new ScheduledTask(1, "check_ip", "core", 1700000010L, 0, "fs1"),
                new ScheduledTask(2, "heartbeat", "core", 1700000020L, 0, "fs1"));
    }

    @Test
    void natMappings() {
        assertThat(state.natMappings("fs1")).containsExactly(new NatMapping(0, 5060, 0, "fs1"));
        assertThat(state.natMappings("fs2")).isEmpty();
    }

    @Test
    void interfacesTellWhichModulesANodeRuns() {
        assertThat(state.interfaces("fs1")).extracting(SwitchInterface::ikey)
                .containsExactly("mod_commands", "mod_callcenter");
        assertThat(state.interfaces("fs1").get(1)).isEqualTo(new SwitchInterface("application", "callcenter",
                "CallCenter", "mod_callcenter", "/usr/lib/freeswitch/mod/mod_callcenter.so", "queue_name", "fs1"));
    }
}

package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code stale-state} (a {@code cli} command, run here through {@link Cli}): shows, dry-runs and repairs; refuses a
 * live node and bad input with exit 1.
 */
class StaleStateCommandTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    @BeforeEach
    void rows() throws Exception {
        sql("DELETE FROM members", "DELETE FROM channels", "DELETE FROM agents", "DELETE FROM freeswitch_node_sightings",
                "INSERT INTO freeswitch_node_sightings (node, switchname, last_seen) VALUES ('fs1', 'fs-a', now())",
                "INSERT INTO freeswitch_node_sightings (node, switchname, last_seen, last_error) VALUES "
                        + "('fs2', 'fs-b', now() - interval '1 hour', 'connect timed out')",
                "insert into channels (uuid,direction,created,created_epoch,name,state,callstate,dialplan,context,"
                        + "hostname) values('b1','inbound','2026-01-01 00:00:00','1767225600','sofia/internal/1001',"
                        + "'CS_EXECUTE','ACTIVE','XML','default','fs-b')",
                "insert into channels (uuid,direction,created,created_epoch,name,state,callstate,dialplan,context,"
                        + "hostname) values('a1','inbound','2026-01-01 00:00:00','1767225600','sofia/internal/1002',"
                        + "'CS_EXECUTE','ACTIVE','XML','default','fs-a')",
                "INSERT INTO members (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,"
                        + "skill_score,cid_number,cid_name,serving_agent,serving_system,state) VALUES('sales@default',"
                        + "'single_box','m1','b1','1767225600','1767225600','0','0','1001','C','','','Waiting')");
    }

    @Test
    void showsThenDryRunsThenRepairs() throws Exception {
        Cli show = Cli.run(Cli.databaseEnv(db), "stale-state");
        assertThat(show.err()).isEmpty();
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("STALE  fs2 (switchname fs-b").contains("last error: connect timed out")
                .contains("LIVE   fs1").contains("Found: 1 member(s), 0 agent(s), 1 channel(s)")
                .contains("member sales@default m1 Waiting caller 1001 session b1")
                .contains("channel b1 sofia/internal/1001 on fs-b");

        Cli dry = Cli.run(Cli.databaseEnv(db), "stale-state", "--repair", "--all", "--dry-run");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("Found: 1 member(s)");
        assertThat(count("SELECT count(*) FROM members")).isEqualTo(1);

        Cli repair = Cli.run(Cli.databaseEnv(db), "stale-state", "--repair", "--members", "--channels", "--node",
                "fs2");
        assertThat(repair.err()).isEmpty();
        assertThat(repair.exitCode()).isZero();
        assertThat(repair.out()).contains("Repaired: 1 member(s), 0 agent(s), 1 channel(s)");
        assertThat(count("SELECT count(*) FROM members")).isZero();
        assertThat(count("SELECT count(*) FROM channels WHERE hostname = 'fs-a'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM channels WHERE hostname = 'fs-b'")).isZero();
    }

    @Test
    void aLiveNodeAndBadInputExitOneAndChangeNothing() throws Exception {
        Cli live = Cli.run(Cli.databaseEnv(db), "stale-state", "--repair", "--all", "--node", "fs1");
        assertThat(live.exitCode()).isEqualTo(1);
        assertThat(live.err()).contains("node 'fs1'").contains("never repaired");
        Cli nothing = Cli.run(Cli.databaseEnv(db), "stale-state", "--repair");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).contains("repair: names nothing to do");
        Cli status = Cli.run(Cli.databaseEnv(db), "stale-state", "--repair", "--agents-to", "Asleep");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.err()).contains("--agents-to").contains("'Logged Out'");
        assertThat(count("SELECT count(*) FROM members")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM channels")).isEqualTo(2);

        Map<String, String> env = Cli.databaseEnv(db);
        env.put("OMINIS_STALE_NODE_AFTER_MS", "5");
        Cli setting = Cli.run(env, "stale-state");
        assertThat(setting.exitCode()).isEqualTo(2);
        assertThat(setting.err()).contains("OMINIS_STALE_NODE_AFTER_MS");
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static long count(String query) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}

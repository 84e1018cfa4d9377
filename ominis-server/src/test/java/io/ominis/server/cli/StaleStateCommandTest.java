package io.ominis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ominis.server.Main;
import io.ominis.testing.OminisDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code stale-state}: shows, dry-runs and repairs; refuses a live node and bad input with exit 1. */
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
        Run show = run(env(), "stale-state");
        assertThat(show.err).isEmpty();
        assertThat(show.code).isZero();
        assertThat(show.out).contains("STALE  fs2 (switchname fs-b").contains("last error: connect timed out")
                .contains("LIVE   fs1").contains("Found: 1 member(s), 0 agent(s), 1 channel(s)")
                .contains("member sales@default m1 Waiting caller 1001 session b1")
                .contains("channel b1 sofia/internal/1001 on fs-b");

        Run dry = run(env(), "stale-state", "--repair", "--all", "--dry-run");
        assertThat(dry.code).isZero();
        assertThat(dry.out).contains("Found: 1 member(s)");
        assertThat(count("SELECT count(*) FROM members")).isEqualTo(1);

        Run repair = run(env(), "stale-state", "--repair", "--members", "--channels", "--node", "fs2");
        assertThat(repair.err).isEmpty();
        assertThat(repair.code).isZero();
        assertThat(repair.out).contains("Repaired: 1 member(s), 0 agent(s), 1 channel(s)");
        assertThat(count("SELECT count(*) FROM members")).isZero();
        assertThat(count("SELECT count(*) FROM channels WHERE hostname = 'fs-a'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM channels WHERE hostname = 'fs-b'")).isZero();
    }

    @Test
    void aLiveNodeAndBadInputExitOneAndChangeNothing() throws Exception {
        Run live = run(env(), "stale-state", "--repair", "--all", "--node", "fs1");
        assertThat(live.code).isEqualTo(1);
        assertThat(live.err).contains("node 'fs1'").contains("never repaired");
        Run nothing = run(env(), "stale-state", "--repair");
        assertThat(nothing.code).isEqualTo(1);
        assertThat(nothing.err).contains("repair: names nothing to do");
        Run status = run(env(), "stale-state", "--repair", "--agents-to", "Asleep");
        assertThat(status.code).isEqualTo(1);
        assertThat(status.err).contains("--agents-to").contains("'Logged Out'");
        assertThat(count("SELECT count(*) FROM members")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM channels")).isEqualTo(2);

        Map<String, String> env = env();
        env.put("OMINIS_STALE_NODE_AFTER_MS", "5");
        Run setting = run(env, "stale-state");
        assertThat(setting.code).isEqualTo(2);
        assertThat(setting.err).contains("OMINIS_STALE_NODE_AFTER_MS");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DB_DSN", db.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + db.user() + "@"));
        return env;
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

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}

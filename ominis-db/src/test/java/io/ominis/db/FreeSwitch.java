package io.ominis.db;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements FreeSWITCH 1.10.12 issues against its databases, as the switch builds them: the SQL text is taken
 * from {@code switch_core_sqldb.c}, {@code mod_callcenter.c} and {@code mod_odbc_cdr.c}, with each {@code '%q'} filled
 * by a quoted literal (numbers included, as FreeSWITCH does). Tests write rows through these so that the DAOs read what
 * the switch really writes.
 */
final class FreeSwitch {

    private FreeSwitch() {
    }

    /** Runs each statement on its own, over plain JDBC, exactly as given. */
    static void run(OminisDatabase db, String... statements) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    /** The column names of {@code query}'s result, in order (what {@code show channels} prints as keys). */
    static List<String> columnNames(OminisDatabase db, String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
            return names;
        }
    }

    /** SQLite's {@code %q}: the value with single quotes doubled, to go between single quotes. */
    static String q(String value) {
        return value == null ? "" : value.replace("'", "''");
    }

    // --- core (switch_core_sqldb.c, core_event_handler) ---

    /** CHANNEL_CREATE. FreeSWITCH writes state CS_INIT, callstate DOWN and the caller profile's initial values. */
    static String channelCreate(String uuid, String direction, long epoch, String name, String hostname,
                                String cidName, String cidNum, String dest) {
        return ("insert into channels (uuid,direction,created,created_epoch, name,state,callstate,dialplan,context,hostname,"
                + "initial_cid_name,initial_cid_num,initial_ip_addr,initial_dest,initial_dialplan,initial_context) "
                + "values('%s','%s','%s','%d','%s','%s','%s','%s','%s','%s','%s','%s','%s','%s','%s','%s')")
                .formatted(q(uuid), q(direction), "2023-11-14 22:13:20", epoch, q(name), "CS_INIT", "DOWN", "XML",
                        "default", q(hostname), q(cidName), q(cidNum), "10.0.0.5", q(dest), "XML", "default");
    }

    /** CHANNEL_STATE to CS_ROUTING (no presence_data_cols). */
    static String channelRouting(String uuid, String cidName, String cidNum, String dest) {
        return ("update channels set state='%s',cid_name='%s',cid_num='%s',callee_name='%s',callee_num='%s',"
                + "sent_callee_name='%s',sent_callee_num='%s',"
                + "ip_addr='%s',dest='%s',dialplan='%s',context='%s',presence_id='%s',presence_data='%s',accountcode='%s' "
                + "where uuid='%s'")
                .formatted("CS_ROUTING", q(cidName), q(cidNum), "", "", "", "", "10.0.0.5", q(dest), "XML", "default",
                        q(cidNum) + "@example.com", "", "", q(uuid));
    }

    /** CHANNEL_STATE to any state but NEW/INIT/ROUTING/HANGUP/REPORTING/DESTROY. */
    static String channelState(String uuid, String state) {
        return "update channels set state='%s' where uuid='%s'".formatted(q(state), q(uuid));
    }

    /** CHANNEL_CALLSTATE (not DOWN/HANGUP, no presence_data_cols). */
    static String channelCallstate(String uuid, String callstate) {
        return "update channels set callstate='%s' where uuid='%s'".formatted(q(callstate), q(uuid));
    }

    /** CHANNEL_ANSWER / PROGRESS_MEDIA / CODEC: PCMU both ways. */
    static String channelCodec(String uuid) {
        return ("update channels set read_codec='%s',read_rate='%s',read_bit_rate='%s',write_codec='%s',write_rate='%s',"
                + "write_bit_rate='%s' where uuid='%s'")
                .formatted("PCMU", "8000", "64000", "PCMU", "8000", "64000", q(uuid));
    }

    /** CHANNEL_BRIDGE: both legs get the call uuid, then the calls row. */
    static String[] channelBridge(String callUuid, String aUuid, String bUuid, long epoch, String hostname) {
        return new String[] {
            "update channels set call_uuid='%s' where uuid='%s' or uuid='%s'".formatted(q(callUuid), q(aUuid), q(bUuid)),
            ("insert into calls (call_uuid,call_created,call_created_epoch,caller_uuid,callee_uuid,hostname) "
                    + "values ('%s','%s','%d','%s','%s','%s')")
                    .formatted(q(callUuid), "2023-11-14 22:13:25", epoch, q(aUuid), q(bUuid), q(hostname))
        };
    }

    /** switch_core_add_registration; {@code metadata} null takes the branch without the metadata column. */
    static String registration(String user, String realm, String token, String url, long expires, String ip,
                               String port, String proto, String hostname, String metadata) {
        if (metadata != null && !metadata.isEmpty()) {
            return ("insert into registrations (reg_user,realm,token,url,expires,network_ip,network_port,network_proto,"
                    + "hostname,metadata) values ('%s','%s','%s','%s',%d,'%s','%s','%s','%s','%s')")
                    .formatted(q(user), q(realm), q(token), q(url), expires, q(ip), q(port), q(proto), q(hostname),
                            q(metadata));
        }
        return ("insert into registrations (reg_user,realm,token,url,expires,network_ip,network_port,network_proto,"
                + "hostname) values ('%s','%s','%s','%s',%d,'%s','%s','%s','%s')")
                .formatted(q(user), q(realm), q(token), q(url), expires, q(ip), q(port), q(proto), q(hostname));
    }

    /** switch_core_expire_registration(0): the 15-second sweep of one switch. */
    static String expireRegistrations(long now, String hostname) {
        return "delete from registrations where expires > 0 and expires <= %d and hostname='%s'".formatted(now, q(hostname));
    }

    // --- mod_callcenter.c ---

    /** {@code callcenter_config agent add <name> <type>}: status 'Logged Out', state 'Waiting'. */
    static String agentAdd(String name, String type) {
        return "INSERT INTO agents (name, instance_id, type, status, state) VALUES('%s', 'single_box', '%s', '%s', '%s');"
                .formatted(q(name), q(type), "Logged Out", "Waiting");
    }

    /** {@code agent set status}; the value is stored as given. Available resets the counters, only on a change. */
    static String agentSetStatus(String name, String status, long now) {
        if (status.equalsIgnoreCase("Available")) {
            return ("UPDATE agents SET status = '%s', last_status_change = '%d', talk_time = 0, calls_answered = 0, "
                    + "no_answer_count = 0 WHERE name = '%s' AND NOT status = '%s'")
                    .formatted(q(status), now, q(name), q(status));
        }
        return "UPDATE agents SET status = '%s', last_status_change = '%d' WHERE name = '%s'"
                .formatted(q(status), now, q(name));
    }

    /** {@code tier add <queue> <agent> [level] [position]}: state 'Ready'. */
    static String tierAdd(String queue, String agent, int level, int position) {
        return "INSERT INTO tiers (queue, agent, state, level, position) VALUES('%s', '%s', '%s', '%d', '%d');"
                .formatted(q(queue), q(agent), "Ready", level, position);
    }

    /** The {@code callcenter} application putting a caller in a queue (state 'Waiting'). */
    static String memberJoin(String queue, String instanceId, String uuid, String sessionUuid, long systemEpoch,
                             long joinedEpoch, int baseScore, String cidNumber, String cidName, String servingAgent) {
        return ("INSERT INTO members"
                + " (queue,instance_id,uuid,session_uuid,system_epoch,joined_epoch,base_score,skill_score,cid_number,"
                + "cid_name,serving_agent,serving_system,state)"
                + " VALUES('%s','%s','%s','%s','%d','%d','%d','%d','%s','%s','%s','','%s')")
                .formatted(q(queue), q(instanceId), q(uuid), q(sessionUuid), systemEpoch, joinedEpoch, baseScore, 0,
                        q(cidNumber), q(cidName), q(servingAgent), "Waiting");
    }

    // --- mod_odbc_cdr.c: INSERT INTO <table> (<fields that have a value>) VALUES (<quoted values>) ---

    /** An answered queue call's leg as mod_odbc_cdr inserts it with the sample field set. */
    static String cdrAnswered(String uuid, String start, String answer, String end, String queue, String agent,
                              String hostname) {
        return ("INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, "
                + "answer_stamp, end_stamp, duration, billsec, hangup_cause, queue_name, agent_name, member_session_uuid, "
                + "member_state, switch_name) VALUES ('%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', "
                + "'%s', '%s', '%s', '%s', '%s')")
                .formatted(q(uuid), "Alice", "5551000", "7000", "default", start, answer, end, "65", "60",
                        "NORMAL_CLEARING", q(queue), q(agent), q(uuid), "answered", q(hostname));
    }

    /** An unanswered leg: answer_stamp is not set, so the field is left out; billsec arrives as '0'. */
    static String cdrUnanswered(String uuid, String start, String end, String cause, String hostname) {
        return ("INSERT INTO cdr (uuid, caller_id_name, caller_id_number, destination_number, context, start_stamp, "
                + "end_stamp, duration, billsec, hangup_cause, switch_name) VALUES ('%s', '%s', '%s', '%s', '%s', '%s', "
                + "'%s', '%s', '%s', '%s', '%s')")
                .formatted(q(uuid), "Bob", "5552000", "1001", "default", start, end, "20", "0", q(cause), q(hostname));
    }
}

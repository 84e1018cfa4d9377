package io.ominis.db.admin;

import io.ominis.db.Migrations;
import io.ominis.core.OperationFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * Creates or updates the three least-privilege roles in one transaction, so a run either applies the whole policy or
 * nothing. Re-running converges to the same state: privileges the policy does not give are revoked first.
 *
 * <ul>
 *   <li>FreeSWITCH: OWNER of its tables and views (the core's and mod_callcenter's), because at start-up FreeSWITCH
 *       tests each table and, when the test fails, DROPs and re-CREATEs it or ALTERs in a column; only an owner may
 *       do that. CREATE on the schema for tables that do not exist yet. INSERT on {@code cdr} (mod_odbc_cdr).</li>
 *   <li>API: read/write on Ominis's own tables and their sequences; SELECT on FreeSWITCH's tables, views and
 *       {@code cdr}; SELECT on the migration history so a no-op migrate check works.</li>
 *   <li>Analytics: SELECT on {@code cdr} only.</li>
 * </ul>
 */
public final class DbRoles {

    /** FreeSWITCH core and mod_callcenter tables (freeswitch-facts §1.1, §2.1). */
    public static final List<String> FREESWITCH_TABLES = List.of("channels", "calls", "registrations", "recovery",
            "complete", "aliases", "tasks", "nat", "interfaces", "agents", "tiers", "members");
    /** FreeSWITCH's views over channels and calls (§1.2). */
    public static final List<String> FREESWITCH_VIEWS = List.of("basic_calls", "detailed_calls");
    /** The tables the Ominis API writes. */
    public static final List<String> OMINIS_TABLES = List.of("extensions", "ivrs", "ivr_menus", "ivr_menu_options",
            "ivr_tts_cache", "acl_entries", "callcenter_queues", "freeswitch_node_sightings",
            "ominis_runs", "domains", "extension_a1_hashes");
    static final String CDR = "cdr";

    /**
     * What happened to one role.
     *
     * @param name    role name
     * @param created whether this run created it
     * @param login   whether it may log in (it has a password)
     */
    public record Outcome(String name, boolean created, boolean login) {
    }

    private DbRoles() {
    }

    /** Applies the policy on the connection's database; the connection's role must be able to grant and re-own. */
    public static List<Outcome> apply(Connection c, RoleSettings roles) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            requireSchema(c);
            List<Outcome> outcomes = new ArrayList<>();
            for (RoleSettings.Role role : roles.all()) {
                outcomes.add(ensureRole(c, role));
            }
            grant(c, roles);
            c.commit();
            return outcomes;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void requireSchema(Connection c) throws SQLException {
        List<String> expected = new ArrayList<>(FREESWITCH_TABLES);
        expected.addAll(FREESWITCH_VIEWS);
        expected.addAll(OMINIS_TABLES);
        expected.add(CDR);
        Set<String> present = new TreeSet<>();
        try (PreparedStatement st = c.prepareStatement("""
                SELECT c.relname
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname = ANY (?)
                """)) {
            st.setArray(1, c.createArrayOf("text", expected.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        List<String> missing = expected.stream().filter(t -> !present.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new OperationFailedException("tables missing in schema public: " + String.join(", ", missing)
                    + "; run 'migrate' first");
        }
    }

    private static Outcome ensureRole(Connection c, RoleSettings.Role role) throws SQLException {
        boolean exists;
        try (PreparedStatement st = c.prepareStatement("""
                SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = ?
                """)) {
            st.setString(1, role.name());
            try (ResultSet rs = st.executeQuery()) {
                exists = rs.next();
                if (exists && rs.getBoolean(1)) {
                    throw new OperationFailedException(role.setting() + ": role " + role.name() + " is a superuser or "
                            + "bypasses row security; pick another name for a least-privilege role");
                }
            }
        }
        boolean login = role.password() != null;
        try (Statement st = c.createStatement()) {
            if (!exists) {
                st.execute("CREATE ROLE %s NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT"
                        .formatted(role.identifier()));
            }
            // without a password the role cannot log in: with trust auth, LOGIN and no password would let anyone in
            st.execute("ALTER ROLE %s %s".formatted(role.identifier(), login ? "LOGIN" : "NOLOGIN"));
        }
        if (login) {
            // the driver sends a SCRAM-SHA-256 verifier computed here, so the password never appears in SQL text or
            // in the server's statement log
            c.unwrap(PGConnection.class).alterUserPassword(role.name(), role.password().toCharArray(), "scram-sha-256");
        }
        return new Outcome(role.name(), !exists, login);
    }

    private static void grant(Connection c, RoleSettings roles) throws SQLException {
        String fs = roles.freeswitch().identifier();
        String api = roles.api().identifier();
        String analytics = roles.analytics().identifier();
        String all = roles.all().stream().map(RoleSettings.Role::identifier).collect(Collectors.joining(", "));
        String fsTables = String.join(", ", FREESWITCH_TABLES);
        String fsViews = String.join(", ", FREESWITCH_VIEWS);
        String ours = String.join(", ", OMINIS_TABLES);
        String database = queryString(c, "SELECT quote_ident(current_database())");

        List<String> sql = new ArrayList<>();
        sql.add("GRANT CONNECT ON DATABASE %s TO %s".formatted(database, all));
        sql.add("GRANT USAGE ON SCHEMA public TO %s".formatted(all));
        sql.add("REVOKE CREATE ON SCHEMA public FROM %s, %s".formatted(api, analytics));
        sql.add("GRANT CREATE ON SCHEMA public TO %s".formatted(fs));

        // start from nothing for the roles that own nothing, so a re-run also takes back what the policy dropped
        sql.add("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %s, %s".formatted(api, analytics));
        sql.add("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %s, %s".formatted(api, analytics));
        sql.add("REVOKE ALL ON %s, %s, %s FROM %s".formatted(ours, CDR, Migrations.HISTORY_TABLE, fs));

        for (String table : FREESWITCH_TABLES) {
            sql.add("ALTER TABLE %s OWNER TO %s".formatted(table, fs));
        }
        for (String view : FREESWITCH_VIEWS) {
            sql.add("ALTER VIEW %s OWNER TO %s".formatted(view, fs));
        }
        sql.add("GRANT INSERT ON %s TO %s".formatted(CDR, fs));

        sql.add("GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %s".formatted(ours, api));
        for (String sequence : sequencesOf(c, OMINIS_TABLES)) {
            sql.add("GRANT USAGE, SELECT ON SEQUENCE %s TO %s".formatted(sequence, api));
        }
        sql.add("GRANT SELECT ON %s, %s, %s, %s TO %s".formatted(fsTables, fsViews, CDR, Migrations.HISTORY_TABLE, api));
        // stale-state repair: the rows a dead node left behind are removed, the agents it held reset; nothing more
        sql.add("GRANT DELETE ON channels, calls, registrations, members TO %s".formatted(api));
        sql.add("GRANT UPDATE (status, state, uuid, last_status_change) ON agents TO %s".formatted(api));

        sql.add("GRANT SELECT ON %s TO %s".formatted(CDR, analytics));

        // Partitions: access through cdr is checked on cdr alone, so INSERT/SELECT via the parent keeps working for
        // partitions created later. Existing partitions get the same grants for direct access.
        for (String partition : partitionsOf(c, CDR)) {
            sql.add("GRANT INSERT ON %s TO %s".formatted(partition, fs));
            sql.add("GRANT SELECT ON %s TO %s, %s".formatted(partition, api, analytics));
        }
        // Tables created later stay readable by the API: by FreeSWITCH (its DROP + CREATE on a failed start-up
        // test would otherwise lose the API's grant) and by whoever runs the migrations (new partitions, new tables).
        sql.add("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA public GRANT SELECT ON TABLES TO %s".formatted(fs, api));
        sql.add("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %s".formatted(api));

        try (Statement st = c.createStatement()) {
            for (String statement : sql) {
                st.execute(statement);
            }
        }
    }

    /** Sequences owned by the tables' columns (SERIAL/IDENTITY), as quoted qualified names from the catalog. */
    private static List<String> sequencesOf(Connection c, List<String> tables) throws SQLException {
        return queryList(c, """
                SELECT DISTINCT s.oid::regclass::text
                  FROM pg_class s
                  JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
                  JOIN pg_class t ON t.oid = d.refobjid
                  JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE s.relkind = 'S' AND n.nspname = 'public' AND t.relname = ANY (?)
                """, tables);
    }

    /** Every partition below the table, quoted by the catalog. */
    private static List<String> partitionsOf(Connection c, String table) throws SQLException {
        return queryList(c, """
                WITH RECURSIVE tree(oid) AS (
                    SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = ANY (?::text[]::regclass[])
                    UNION ALL
                    SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid
                )
                SELECT oid::regclass::text FROM tree
                """, List.of("public." + table));
    }

    private static List<String> queryList(Connection c, String sql, List<String> argument) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("text", argument.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

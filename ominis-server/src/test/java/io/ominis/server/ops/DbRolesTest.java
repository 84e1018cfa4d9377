package io.ominis.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks the privileges with the statements each party really runs. Roles are cluster-wide, so this class uses
 * names of its own and drops them afterwards. This machine's PostgreSQL trusts local logins, so a password proves
 * nothing here; the tests prove what each role may and may not do.
 */
class DbRolesTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String API = "t_api_" + SUFFIX;
    private static final String FS = "t_fs_" + SUFFIX;
    private static final String ANALYTICS = "t_analytics_" + SUFFIX;
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    static Map<String, String> env() {
        Map<String, String> env = Cli.databaseEnv(db);
        env.put("OMINIS_DB_API_ROLE", API);
        env.put("OMINIS_DB_FREESWITCH_ROLE", FS);
        env.put("OMINIS_DB_ANALYTICS_ROLE", ANALYTICS);
        env.put("OMINIS_DB_API_PASSWORD", "api-secret");
        env.put("OMINIS_DB_FREESWITCH_PASSWORD", "fs-secret");
        env.put("OMINIS_DB_ANALYTICS_PASSWORD", "analytics-secret");
        return env;
    }

    @BeforeAll
    static void applyTwice() {
        Cli first = Cli.run(env(), "db-roles");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains(API + " ").contains("created").doesNotContain("secret");
        Cli second = Cli.run(env(), "db-roles");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).doesNotContain("created").contains("updated");
    }

    @AfterAll
    static void dropRoles() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String role : List.of(API, FS, ANALYTICS)) {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void freeswitchMayDropRecreateAndAlterItsTablesAndInsertCdr() throws SQLException {
        try (Connection c = connectAs(FS)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // FreeSWITCH's start-up repair when a test statement fails (freeswitch-facts §1.4, §2.2)
                st.execute("DROP VIEW basic_calls");
                st.execute("DROP VIEW detailed_calls");
                st.execute("DROP TABLE channels");
                st.execute("CREATE TABLE channels (uuid VARCHAR(256), hostname VARCHAR(256))");
                st.execute("CREATE INDEX chidx1 ON channels (hostname)");
                st.execute("DROP TABLE members");
                st.execute("CREATE TABLE members (queue VARCHAR(255))");
                st.execute("ALTER TABLE agents ADD COLUMN probe_column INTEGER NOT NULL DEFAULT 0");
                st.execute("CREATE TABLE probe_new_table (x INTEGER)");
                st.execute("DELETE FROM channels WHERE hostname = 'fs1'");
                st.execute("INSERT INTO registrations (reg_user, realm, expires, hostname) VALUES ('1000', 'd', '1', 'h')");
                st.execute("""
                        INSERT INTO cdr (uuid, start_stamp, duration) VALUES ('fs-probe', '2025-10-14 12:00:00', '5')
                        """);
            } finally {
                c.rollback();
            }
            c.setAutoCommit(true);
            assertDenied(c, "SELECT * FROM extensions");
            assertDenied(c, "SELECT * FROM cdr");
            assertDenied(c, "INSERT INTO acl_entries (cidr) VALUES ('10.0.0.0/8')");
        }
    }

    @Test
    void analyticsReadsCdrOnly() throws SQLException {
        try (Connection c = connectAs(ANALYTICS)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM cdr")) {
                assertThat(rs.next()).isTrue();
            }
            assertDenied(c, "SELECT * FROM extensions");
            assertDenied(c, "SELECT * FROM channels");
            assertDenied(c, "INSERT INTO cdr (uuid) VALUES ('analytics-probe')");
        }
    }

    @Test
    void apiWritesItsTablesAndReadsFreeswitchState() throws SQLException {
        try (Connection c = connectAs(API)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO extensions (number, password) VALUES ('1000', 'Winnipeg2025')");
                st.execute("INSERT INTO acl_entries (cidr) VALUES ('192.0.2.0/24')"); // needs the SERIAL's sequence
                st.execute("UPDATE extensions SET display_name = 'x' WHERE number = '1000'");
                st.execute("SELECT * FROM channels, agents, basic_calls, cdr LIMIT 1");
                // what stale-state repair does
                st.execute("INSERT INTO freeswitch_node_sightings (node) VALUES ('fs1')");
                st.execute("DELETE FROM channels WHERE hostname = 'gone'");
                st.execute("DELETE FROM calls WHERE hostname = 'gone'");
                st.execute("DELETE FROM registrations WHERE hostname = 'gone'");
                st.execute("DELETE FROM members WHERE uuid = 'gone'");
                st.execute("UPDATE agents SET status = 'Logged Out', state = 'Waiting', uuid = '', "
                        + "last_status_change = 0 WHERE name = 'gone'");
            } finally {
                c.rollback();
            }
            c.setAutoCommit(true);
            assertDenied(c, "DROP TABLE extensions");
            assertDenied(c, "INSERT INTO channels (uuid) VALUES ('x')");
            assertDenied(c, "UPDATE agents SET contact = 'x' WHERE name = 'gone'");
            assertDenied(c, "DELETE FROM agents WHERE name = 'gone'");
            assertDenied(c, "CREATE TABLE api_probe (x INTEGER)");
        }
    }

    @Test
    void tablesCreatedLaterStayReadableByTheApi() throws SQLException {
        try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
            st.execute("CREATE TABLE cdr_2099_01 (LIKE cdr)");
        }
        try (Connection c = connectAs(API); Statement st = c.createStatement()) {
            st.executeQuery("SELECT count(*) FROM cdr_2099_01").close();
        }
        try (Connection c = connectAs(FS); Statement st = c.createStatement()) {
            // FreeSWITCH re-creating one of its tables keeps it readable for the API as well
            st.execute("CREATE TABLE fs_recreated (x INTEGER)");
        }
        try (Connection c = connectAs(API); Statement st = c.createStatement()) {
            st.executeQuery("SELECT count(*) FROM fs_recreated").close();
        }
    }

    @Test
    void passwordsAreStoredAsScramAndAMissingPasswordMeansNologin() throws SQLException {
        assertThat(roleAttribute(API, "rolpassword")).startsWith("SCRAM-SHA-256$");
        assertThat(roleAttribute(API, "rolcanlogin")).isEqualTo("true");

        Map<String, String> env = env();
        env.remove("OMINIS_DB_ANALYTICS_PASSWORD");
        Cli run = Cli.run(env, "db-roles");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("NOLOGIN");
        assertThat(roleAttribute(ANALYTICS, "rolcanlogin")).isEqualTo("false");

        assertThat(Cli.run(env(), "db-roles").exitCode()).isZero();
        assertThat(roleAttribute(ANALYTICS, "rolcanlogin")).isEqualTo("true");
    }

    @Test
    void refusesRoleNamesThatAreNotPlainIdentifiers() {
        Map<String, String> env = env();
        env.put("OMINIS_DB_API_ROLE", "api\"; DROP TABLE cdr; --");
        Cli run = Cli.run(env, "db-roles");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("ominis db-roles: OMINIS_DB_API_ROLE: ").hasLineCount(1);
    }

    private static Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), role, "ignored-by-trust-auth");
    }

    private static void assertDenied(Connection c, String sql) {
        assertThatThrownBy(() -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    private static String roleAttribute(String role, String column) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement st = c.prepareStatement(
                        "SELECT " + column + "::text FROM pg_authid WHERE rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}

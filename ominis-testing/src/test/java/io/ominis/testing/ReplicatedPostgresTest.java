package io.ominis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real primary and streaming standby: rows written on the primary are read on the standby, the standby refuses
 * writes, a multi-host URL with {@code targetServerType=primary} reaches the primary, and after the primary is killed
 * and the standby promoted, the same URL reaches the new primary, which has every synchronously committed row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedPostgresTest {

    @RegisterExtension
    static final ReplicatedPostgres pg = ReplicatedPostgres.builder().synchronous(true).build();

    @Test
    @Order(1)
    void theStandbyStreamsThePrimarysWritesAndRefusesItsOwn() throws Exception {
        assertThat(pg.primary().port()).isNotEqualTo(5432).isNotEqualTo(pg.standby().port());
        assertThat(pg.primary().inRecovery()).isFalse();
        assertThat(pg.standby().inRecovery()).isTrue();
        pg.primary().execute("postgres", "CREATE TABLE t (id int PRIMARY KEY)");
        pg.primary().execute("postgres", "INSERT INTO t SELECT generate_series(1, 100)");
        // synchronous_commit=on waits for the standby's flush, not its replay: wait for the replay to read it
        pg.awaitReplayed(Duration.ofSeconds(10));
        try (Connection standby = pg.standby().connect("postgres")) {
            assertThat(count(standby)).isEqualTo(100);
        }
        assertThatThrownBy(() -> pg.standby().execute("postgres", "INSERT INTO t VALUES (101)"))
                .hasMessageContaining("read-only");
    }

    @Test
    @Order(2)
    void aMultiHostUrlFollowsThePromotion() throws Exception {
        String url = pg.multiHostJdbcUrl().replace("/" + ReplicatedPostgres.DATABASE + "?", "/postgres?")
                + "&hostRecheckSeconds=1";
        try (Connection c = multiHost(url)) {
            assertThat(port(c)).isEqualTo(pg.primary().port());
        }
        pg.primary().kill();
        assertThat(pg.primary().running()).isFalse();
        assertThatThrownBy(() -> multiHost(url)).isInstanceOf(SQLException.class);

        pg.standby().promote();
        assertThat(pg.standby().inRecovery()).isFalse();
        try (Connection c = multiHost(url)) {
            assertThat(port(c)).isEqualTo(pg.standby().port());
            assertThat(count(c)).isEqualTo(100);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO t VALUES (101)");
            }
        }
    }

    @Test
    @Order(3)
    void closingStopsBothServersAndDeletesTheirFiles() {
        ReplicatedPostgres other = ReplicatedPostgres.builder().build();
        other.start();
        java.nio.file.Path log = other.primary().logFile();
        assertThat(other.primary().running()).isTrue();
        assertThat(other.standby().running()).isTrue();
        other.close();
        assertThat(other.primary().running()).isFalse();
        assertThat(other.standby().running()).isFalse();
        assertThat(Files.exists(log.getParent())).isFalse();
    }

    private static Connection multiHost(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(url, props);
    }

    private static int port(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

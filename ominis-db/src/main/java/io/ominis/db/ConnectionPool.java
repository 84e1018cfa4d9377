package io.ominis.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.ominis.core.UnavailableException;
import io.ominis.core.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens the HikariCP pool described by {@link DatabaseSettings}. Fails fast: if the database cannot be reached within
 * the connect timeout, {@link #open} throws an {@link UnavailableException} whose message is one line naming the
 * database (never the password).
 *
 * <p>No peer can stall a connection for good: every connection, pooled or not, has a TCP connect timeout and a login
 * timeout of the connect timeout (rounded up to whole seconds, as pgjdbc takes them), TCP keepalive, and a socket
 * read timeout of the statement timeout plus one second (rounded up), so a half-open connection fails a query
 * shortly after the server would have cancelled it. Without a statement timeout there is no read timeout either.
 * Start-up against a database that accepts TCP but never answers therefore gives up within the connect timeout plus
 * {@link #STARTUP_MARGIN}.
 */
public final class ConnectionPool {

    /** How much longer than the connect timeout {@link #open} may take to give up on a silent database. */
    public static final java.time.Duration STARTUP_MARGIN = java.time.Duration.ofSeconds(3);

    /** How often idle pooled connections are probed, so a half-open one is dropped before a request borrows it. */
    static final long KEEPALIVE_MILLIS = 30_000;

    private ConnectionPool() {
    }

    /** Opens a pool and checks one connection. The caller closes the returned pool. */
    public static HikariDataSource open(DatabaseSettings settings) {
        return open(settings, "ominis", true);
    }

    /**
     * Opens a pool named {@code poolName}; with {@code failFast} false it opens even while the database does not
     * answer (connections are then made as they are asked for), e.g. for read replicas that may be down at start-up.
     */
    static HikariDataSource open(DatabaseSettings settings, String poolName, boolean failFast) {
        Objects.requireNonNull(settings, "settings");
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setInitializationFailTimeout(failFast ? settings.connectTimeout().toMillis() : -1);
        config.setValidationTimeout(Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
        config.setKeepaliveTime(KEEPALIVE_MILLIS);
        properties(settings).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        // so that pg_stat_activity on a standby tells the read pool's sessions apart
        config.addDataSourceProperty("ApplicationName", poolName);
        config.getDataSourceProperties().remove("user");
        config.getDataSourceProperties().remove("password");
        if (!settings.statementTimeout().isZero()) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis());
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new UnavailableException("cannot connect to database " + settings.describe() + ": "
                    + rootMessage(e), e);
        }
    }

    /**
     * Opens one connection outside any pool, e.g. for a LISTEN that must outlive pool recycling. The caller closes it.
     */
    public static Connection connect(DatabaseSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), properties(settings));
    }

    private static Properties properties(DatabaseSettings settings) {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        long connectSeconds = seconds(settings.connectTimeout().toMillis());
        props.setProperty("connectTimeout", Long.toString(connectSeconds));
        props.setProperty("loginTimeout", Long.toString(connectSeconds));
        props.setProperty("socketTimeout", Long.toString(socketTimeoutSeconds(settings)));
        props.setProperty("ApplicationName", "ominis");
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    /**
     * The socket read timeout in seconds: the statement timeout plus a second, rounded up; 0 (none) without a
     * statement timeout, since a query may then legitimately run for as long as it takes.
     */
    static long socketTimeoutSeconds(DatabaseSettings settings) {
        long statementMillis = settings.statementTimeout().toMillis();
        return statementMillis == 0 ? 0 : seconds(statementMillis) + 1;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * Creates the configured database if it does not exist, connecting to the server's {@code postgres} database to
     * do so. Whether to call it is {@code Migrations.createDatabaseIfAllowed}'s rule ({@code OMINIS_DB_CREATE}).
     *
     * @return whether the database was created
     */
    public static boolean createDatabaseIfMissing(DatabaseSettings settings) {
        String name = settings.database();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new io.ominis.core.ConfigurationException("DB_NAME",
                    "'" + name + "' cannot be created automatically; create it yourself or use letters, digits and _");
        }
        Properties props = properties(settings);
        String adminUrl = settings.withDatabase("postgres").jdbcUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, props)) {
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                // a database name cannot be a bound parameter; it was checked against a strict pattern above
                st.execute("CREATE DATABASE \"" + name + "\"");
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) {
                    return false; // created by a concurrent starter in the meantime
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new UnavailableException("cannot connect to database " + settings.withDatabase("postgres").describe()
                    + " to create '" + name + "': " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

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
 */
public final class ConnectionPool {

    private ConnectionPool() {
    }

    /** Opens a pool and checks one connection. The caller closes the returned pool. */
    public static HikariDataSource open(DatabaseSettings settings) {
        Objects.requireNonNull(settings, "settings");
        HikariConfig config = new HikariConfig();
        config.setPoolName("ominis");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.max(250, Math.min(settings.connectTimeout().toMillis(), 5_000)));
        config.addDataSourceProperty("connectTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
        config.addDataSourceProperty("ApplicationName", "ominis");
        config.addDataSourceProperty("tcpKeepAlive", true);
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
        props.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        props.setProperty("ApplicationName", "ominis");
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    /**
     * Creates the configured database if it does not exist, connecting to the server's {@code postgres} database to
     * do so. Meant for the built-in default only; a configured database is the operator's to create.
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

package io.ominis.testing.internal;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server on which tests may create and drop databases, found once per test run and shared by every
 * test class (it lives in JUnit's root store and is closed with it).
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    static final String ENV_URL = "OMINIS_TEST_DB_URL";

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminDatabase;
    private final Map<String, String> parameters;
    private final AutoCloseable owner;

    PostgresServer(String host, int port, String user, String password, String adminDatabase,
            Map<String, String> parameters, AutoCloseable owner) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDatabase = adminDatabase;
        this.parameters = Map.copyOf(parameters);
        this.owner = owner;
    }

    /** Finds a server as the class comment of {@code OminisDatabase} describes, or fails saying how to provide one. */
    public static PostgresServer locate() {
        String url = System.getenv(ENV_URL);
        if (url != null && !url.isBlank()) {
            DatabaseSettings s;
            try {
                s = DatabaseSettings.fromEnvironment(Map.of("DB_DSN", url));
            } catch (ConfigurationException e) {
                throw new IllegalStateException(ENV_URL + " is not a PostgreSQL URL: " + e.getMessage().replaceFirst("^DB_DSN: ", ""), e);
            }
            PostgresServer server = new PostgresServer(s.host(), s.port(), s.user(), s.password(), s.database(),
                    s.parameters(), null);
            server.check();
            return server;
        }
        PostgresServer local = new PostgresServer(DatabaseSettings.DEFAULT_HOST, DatabaseSettings.DEFAULT_PORT,
                DatabaseSettings.DEFAULT_USER, null, "postgres", Map.of(), null);
        try {
            local.check();
            return local;
        } catch (IllegalStateException notThere) {
            LOG.debug("no PostgreSQL on 127.0.0.1:5432: {}", notThere.getMessage());
        }
        if (ContainerPostgres.available()) {
            return ContainerPostgres.start();
        }
        throw new IllegalStateException("No PostgreSQL server for tests. Set " + ENV_URL
                + " (e.g. postgresql://postgres:secret@localhost:5432/postgres) to a server where tests may create "
                + "databases, run PostgreSQL on 127.0.0.1:5432 with user postgres, or run Docker for Testcontainers.");
    }

    private void check() {
        try (Connection c = connect(adminDatabase)) {
            c.isValid(2);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + host + ":" + port + " as " + user
                    + ": " + e.getMessage(), e);
        }
    }

    /** Connects to {@code database} on this server. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates {@code name}, as a copy of {@code template} when one is given. */
    public void createDatabase(String name, String template) {
        requireIdentifier(name);
        String sql = "CREATE DATABASE " + name;
        if (template != null) {
            requireIdentifier(template);
            sql += " TEMPLATE " + template;
        }
        execute(adminDatabase, sql);
    }

    /** Drops {@code name}, closing any connection still open on it; failures are logged, not thrown. */
    public void dropDatabase(String name) {
        requireIdentifier(name);
        try {
            execute(adminDatabase, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException e) {
            LOG.warn("could not drop test database {}: {}", name, e.getMessage());
        }
    }

    void execute(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Database names come from our own code, never from input, but are checked since they cannot be bound. */
    static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a safe database name: " + name);
        }
    }

    public String jdbcUrl(String database) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(h).append(':').append(port).append('/')
                .append(database);
        char sep = '?';
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            url.append(sep).append(p.getKey()).append('=').append(p.getValue());
            sep = '&';
        }
        return url.toString();
    }

    public String adminDatabase() {
        return adminDatabase;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the PostgreSQL server started for the tests", e);
            }
        }
    }
}

package io.ominis.core.config;

import io.ominis.core.ConfigurationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where the database is and how to pool connections to it, read from the spec's variables: {@code DB_DSN} (as
 * {@code postgresql+asyncpg://}, {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://}) or
 * {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME}, {@code DB_USER}, {@code DB_PASS}; pool settings with the
 * {@code OMINIS_DB_} prefix. The password never appears in {@link #toString()} or {@link #describe()}.
 *
 * <p>Several hosts may be named ({@code postgresql://h1:5432,h2:5433/db}, or {@code DB_HOST=h1,h2:5433}) for a
 * primary with standbys: pgjdbc then connects only to the one that accepts writes ({@code targetServerType=primary},
 * unless the DSN names another), tries the hosts in order, and rechecks a host it found down or read-only after
 * {@code hostRecheckSeconds} (2 s here, pgjdbc's default is 10 s), so a pool follows a promotion within seconds.
 *
 * @param host          server host name or address (the first, when several are named)
 * @param port          server port (of the first host)
 * @param database      database name
 * @param user          role to log in as
 * @param password      password, or null for none (trust or peer auth)
 * @param parameters    further JDBC parameters from the DSN's query string (e.g. {@code sslmode})
 * @param source        which settings produced this: {@code DB_DSN}, {@code DB_HOST} or {@code default}
 * @param poolSize      maximum pool size ({@code OMINIS_DB_POOL_SIZE}, default 10)
 * @param connectTimeout how long to wait for a connection ({@code OMINIS_DB_CONNECT_TIMEOUT_MS}, default 5000)
 * @param statementTimeout server-side statement timeout ({@code OMINIS_DB_STATEMENT_TIMEOUT_MS}, default 30000,
 *                      0 = none)
 * @param endpoints     every host and port named, in the order pgjdbc tries them; the first is {@code host:port}
 */
public record DatabaseSettings(
        String host,
        int port,
        String database,
        String user,
        String password,
        Map<String, String> parameters,
        String source,
        int poolSize,
        Duration connectTimeout,
        Duration statementTimeout,
        List<Endpoint> endpoints) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_DATABASE = "ominis";
    public static final String DEFAULT_USER = "postgres";

    /** Most pooled connections allowed ({@code OMINIS_DB_POOL_SIZE}). */
    public static final int MAX_POOL_SIZE = 1000;

    /** Hosts named beyond this are refused: a longer list is a mistake, not a cluster. */
    public static final int MAX_HOSTS = 16;

    /** pgjdbc's {@code hostRecheckSeconds} for several hosts, unless the DSN names one. */
    public static final String HOST_RECHECK_SECONDS = "2";

    /**
     * One server of a multi-host setting.
     *
     * @param host host name or address
     * @param port port
     */
    public record Endpoint(String host, int port) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
        }

        /** {@code host:port}, IPv6 addresses in brackets. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Checks every field, as the environment parser does, so that a value built in code fails the same way.
     *
     * @throws ConfigurationException naming the environment variable the wrong field comes from
     */
    public DatabaseSettings {
        Objects.requireNonNull(source, "source");
        // a DSN setting (DB_DSN, OMINIS_DB_READ_DSN) is named as a whole in every message about its parts
        boolean fromDsn = source.endsWith("_DSN");
        String dsnSetting = fromDsn ? source : null;
        requireName(fromDsn ? dsnSetting : "DB_HOST", "host", host, "[A-Za-z0-9._:%-]{1,255}");
        // a database or role name goes into the JDBC URL and the ODBC files we write: nothing that would end or
        // change either (spaces, '/', '?', '&', '#', '=', ';', quotes) is accepted
        requireName(fromDsn ? dsnSetting : "DB_NAME", "database name", database, "[A-Za-z0-9_$.-]{1,63}");
        requireName(fromDsn ? dsnSetting : "DB_USER", "user", user, "[A-Za-z0-9_$.@-]{1,63}");
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(fromDsn ? dsnSetting : "DB_PORT",
                    "port must be a number from 1 to 65535, got '" + port + "'");
        }
        SettingsReader.requireRange("OMINIS_DB_POOL_SIZE", poolSize, 1, MAX_POOL_SIZE);
        SettingsReader.requireMillis("OMINIS_DB_CONNECT_TIMEOUT_MS", connectTimeout, Duration.ofMillis(250),
                Duration.ofMinutes(10));
        SettingsReader.requireMillis("OMINIS_DB_STATEMENT_TIMEOUT_MS", statementTimeout, Duration.ZERO,
                Duration.ofHours(24));
        // in the DSN's order, so that the JDBC URL reads as written
        parameters = java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(parameters == null ? Map.of() : parameters));
        endpoints = endpoints == null || endpoints.isEmpty() ? List.of(new Endpoint(host, port))
                : List.copyOf(endpoints);
        if (endpoints.size() > MAX_HOSTS) {
            throw new ConfigurationException(fromDsn ? dsnSetting : "DB_HOST",
                    "at most " + MAX_HOSTS + " hosts, got " + endpoints.size());
        }
        if (!endpoints.get(0).equals(new Endpoint(host, port))) {
            throw new IllegalArgumentException("the first endpoint must be host:port");
        }
    }

    /** Settings for one server, as before multi-host support. */
    public DatabaseSettings(String host, int port, String database, String user, String password,
            Map<String, String> parameters, String source, int poolSize, Duration connectTimeout,
            Duration statementTimeout) {
        this(host, port, database, user, password, parameters, source, poolSize, connectTimeout, statementTimeout,
                List.of(new Endpoint(host, port)));
    }

    /** Whether several servers are named (a primary with standbys). */
    public boolean multiHost() {
        return endpoints.size() > 1;
    }

    private static void requireName(String setting, String what, String value, String pattern) {
        if (value == null || !value.matches(pattern)) {
            throw new ConfigurationException(setting, what + " must match " + pattern + ", got "
                    + (value == null ? "none" : "'" + value + "'"));
        }
    }

    /** The documented default: PostgreSQL on 127.0.0.1:5432, database {@code ominis}, user {@code postgres}. */
    public static DatabaseSettings defaults() {
        return new DatabaseSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_DATABASE, DEFAULT_USER, null, Map.of(),
                "default", 10, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /**
     * Reads the settings from an environment map.
     *
     * @throws ConfigurationException naming the first setting that is wrong
     */
    public static DatabaseSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        String type = env.string("DB_TYPE");
        if (type != null && !type.equalsIgnoreCase("postgresql") && !type.equalsIgnoreCase("postgres")) {
            throw new ConfigurationException("DB_TYPE", "'" + type + "' is not supported; Ominis needs PostgreSQL "
                    + "(FreeSWITCH's ODBC tables and LISTEN/NOTIFY have no SQLite equivalent). Unset DB_TYPE or set it to postgresql");
        }
        int poolSize = env.integer("OMINIS_DB_POOL_SIZE", 10, 1, MAX_POOL_SIZE);
        Duration connectTimeout = env.millis("OMINIS_DB_CONNECT_TIMEOUT_MS", Duration.ofSeconds(5),
                Duration.ofMillis(250), Duration.ofMinutes(10));
        Duration statementTimeout = env.millis("OMINIS_DB_STATEMENT_TIMEOUT_MS", Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofHours(24));

        String dsn = env.string("DB_DSN");
        if (dsn != null) {
            return parseDsn("DB_DSN", dsn, "primary", poolSize, connectTimeout, statementTimeout);
        }
        boolean anyPart = env.has("DB_HOST") || env.has("DB_PORT") || env.has("DB_NAME") || env.has("DB_USER")
                || env.has("DB_PASS");
        int defaultPort = env.integer("DB_PORT", DEFAULT_PORT, 1, 65535);
        List<Endpoint> endpoints = endpoints("DB_HOST", env.string("DB_HOST", DEFAULT_HOST), defaultPort);
        return new DatabaseSettings(
                endpoints.get(0).host(),
                endpoints.get(0).port(),
                env.string("DB_NAME", DEFAULT_DATABASE),
                env.string("DB_USER", DEFAULT_USER),
                environment.get("DB_PASS") == null || environment.get("DB_PASS").isEmpty() ? null
                        : environment.get("DB_PASS"),
                multiHostDefaults(endpoints, Map.of(), "primary"),
                anyPart ? "DB_HOST" : "default",
                poolSize, connectTimeout, statementTimeout, endpoints);
    }

    /** {@code h1,h2:5433,[::1]:5434}: each host with its port, or {@code defaultPort}. */
    private static List<Endpoint> endpoints(String setting, String text, int defaultPort) {
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_HOSTS) {
            throw new ConfigurationException(setting, "names " + parts.length + " hosts; at most " + MAX_HOSTS);
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : parts) {
            String authority = part.strip();
            String host;
            String portText = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    throw new ConfigurationException(setting, "has an unclosed '[' in its host");
                }
                host = authority.substring(1, close);
                if (authority.length() > close + 1) {
                    if (authority.charAt(close + 1) != ':') {
                        throw new ConfigurationException(setting, "has text after the IPv6 host that is not a port");
                    }
                    portText = authority.substring(close + 2);
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                portText = colon < 0 ? null : authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                if (parts.length > 1) {
                    throw new ConfigurationException(setting, "has an empty host in its list of hosts");
                }
                host = DEFAULT_HOST;
            }
            int port = defaultPort;
            if (portText != null && !portText.isEmpty()) {
                if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1
                        || Integer.parseInt(portText) > 65535) {
                    throw new ConfigurationException(setting, "port must be a number from 1 to 65535, got '"
                            + portText + "'");
                }
                port = Integer.parseInt(portText);
            }
            Endpoint endpoint = new Endpoint(host, port);
            if (endpoints.contains(endpoint)) {
                throw new ConfigurationException(setting, "names " + endpoint + " twice");
            }
            endpoints.add(endpoint);
        }
        return endpoints;
    }

    /** With several hosts: {@code targetServerType} and a short recheck, unless the DSN chose otherwise. */
    private static Map<String, String> multiHostDefaults(List<Endpoint> endpoints, Map<String, String> parameters,
            String targetServerType) {
        if (endpoints.size() < 2) {
            return parameters;
        }
        Map<String, String> withDefaults = new LinkedHashMap<>(parameters);
        withDefaults.putIfAbsent("targetServerType", targetServerType);
        withDefaults.putIfAbsent("hostRecheckSeconds", HOST_RECHECK_SECONDS);
        return withDefaults;
    }

    /**
     * Reads a DSN given in {@code setting} (any of the {@code DB_DSN} forms), for a second pool such as the read
     * replicas' ({@code OMINIS_DB_READ_DSN}); with several hosts, pgjdbc's {@code targetServerType} is
     * {@code targetServerType} unless the DSN names one.
     *
     * @throws ConfigurationException naming {@code setting}
     */
    public static DatabaseSettings parseDsn(String setting, String dsn, String targetServerType, int poolSize,
            Duration connectTimeout, Duration statementTimeout) {
        if (!setting.endsWith("_DSN")) {
            throw new IllegalArgumentException("a DSN setting's name ends in _DSN: " + setting);
        }
        String rest = null;
        for (String scheme : new String[] {"postgresql+asyncpg://", "jdbc:postgresql://", "postgresql://", "postgres://"}) {
            if (dsn.regionMatches(true, 0, scheme, 0, scheme.length())) {
                rest = dsn.substring(scheme.length());
                break;
            }
        }
        if (rest == null) {
            throw new ConfigurationException(setting, "must start with postgresql://, postgresql+asyncpg://, "
                    + "postgres:// or jdbc:postgresql://");
        }
        int queryStart = rest.indexOf('?');
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        int pathStart = beforeQuery.indexOf('/');
        String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);
        String path = pathStart < 0 ? "" : beforeQuery.substring(pathStart + 1);

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(setting, colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(setting, userInfo.substring(colon + 1));
        }

        List<Endpoint> endpoints = endpoints(setting, authority, DEFAULT_PORT);
        String database = decode(setting, path);
        if (database.isBlank()) {
            // libpq would take the user name and we used to take "ominis": either way a guess the operator did not make
            throw new ConfigurationException(setting, "names no database; end it with /<database name>");
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(setting, eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(setting, pair.substring(eq + 1));
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> parameters.put(key, value);
                }
            }
        }
        return new DatabaseSettings(endpoints.get(0).host(), endpoints.get(0).port(), database,
                user == null || user.isEmpty() ? DEFAULT_USER : user,
                password == null || password.isEmpty() ? null : password, multiHostDefaults(endpoints, parameters, targetServerType),
                setting, poolSize, connectTimeout, statementTimeout, endpoints);
    }

    private static String decode(String setting, String s) {
        try {
            // '+' is a literal in a URL's user info and path; only percent-escapes are decoded
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting, "has a malformed percent-escape");
        }
    }

    /** Whether nothing was configured and the built-in default is in use (the server may then create the database). */
    public boolean isDefault() {
        return "default".equals(source);
    }

    /** The JDBC URL without credentials, naming every host. */
    public String jdbcUrl() {
        String base = "jdbc:postgresql://" + hostList() + "/" + database;
        if (parameters.isEmpty()) {
            return base;
        }
        return base + "?" + parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The same server with another database name, e.g. {@code postgres} to create the configured one. */
    public DatabaseSettings withDatabase(String name) {
        return new DatabaseSettings(host, port, name, user, password, parameters, source, poolSize, connectTimeout,
                statementTimeout, endpoints);
    }

    /** The same settings with another maximum pool size, e.g. a small pool for a one-off command. */
    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(host, port, database, user, password, parameters, source, size, connectTimeout,
                statementTimeout, endpoints);
    }

    /** The same settings with another statement timeout, e.g. none for migrations (0 = no timeout). */
    public DatabaseSettings withStatementTimeout(Duration timeout) {
        return new DatabaseSettings(host, port, database, user, password, parameters, source, poolSize, connectTimeout,
                timeout, endpoints);
    }

    /** One line for logs: {@code postgres@127.0.0.1:5432/ominis (default)}, never the password. */
    public String describe() {
        return user + "@" + hostList() + "/" + database + " (from " + source + ")";
    }

    /** {@code h1:5432,h2:5433}: every endpoint, in order. */
    public String hostList() {
        return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", password=" + (password == null ? "none" : "****")
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + ", statementTimeout="
                + statementTimeout + "]";
    }
}

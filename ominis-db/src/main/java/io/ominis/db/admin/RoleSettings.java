package io.ominis.db.admin;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.SettingsReader;
import java.util.List;
import java.util.Map;

/**
 * The three database roles of the spec's security section, named and given passwords by the environment:
 * {@code OMINIS_DB_API_ROLE}/{@code OMINIS_DB_API_PASSWORD} (default {@code ominis_api}),
 * {@code OMINIS_DB_FREESWITCH_ROLE}/{@code …_PASSWORD} ({@code ominis_freeswitch}) and
 * {@code OMINIS_DB_ANALYTICS_ROLE}/{@code …_PASSWORD} ({@code ominis_analytics}).
 */
public record RoleSettings(Role api, Role freeswitch, Role analytics) {

    /** Role names become identifiers in GRANT/ALTER statements, which cannot bind them, so they are held to this. */
    static final String NAME_PATTERN = "[a-z_][a-z0-9_]{0,62}";

    /**
     * One role.
     *
     * @param name     the role name (lower case, so it needs no quoting and matches how FreeSWITCH folds names)
     * @param password its password, or null: the role is then NOLOGIN
     * @param setting  the environment variable that names it, for error messages
     */
    public record Role(String name, String password, String setting) {
        /** The name as a quoted SQL identifier; safe because the name matched {@link #NAME_PATTERN}. */
        public String identifier() {
            return "\"" + name + "\"";
        }
    }

    /** Reads the three roles; fails naming the variable whose role name is not a plain lower-case identifier. */
    public static RoleSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        RoleSettings roles = new RoleSettings(
                role(env, environment, "API", "ominis_api"),
                role(env, environment, "FREESWITCH", "ominis_freeswitch"),
                role(env, environment, "ANALYTICS", "ominis_analytics"));
        if (roles.all().stream().map(Role::name).distinct().count() != 3) {
            throw new ConfigurationException("OMINIS_DB_API_ROLE", "the API, FreeSWITCH and analytics roles must have "
                    + "three different names");
        }
        return roles;
    }

    /** The three roles, API first. */
    public List<Role> all() {
        return List.of(api, freeswitch, analytics);
    }

    private static Role role(SettingsReader env, Map<String, String> raw, String kind, String fallback) {
        String setting = "OMINIS_DB_" + kind + "_ROLE";
        String name = env.string(setting, fallback);
        if (!name.matches(NAME_PATTERN)) {
            throw new ConfigurationException(setting, "must be a lower-case identifier (letters, digits, _; at most "
                    + "63), got '" + name + "'");
        }
        if (name.startsWith("pg_")) {
            throw new ConfigurationException(setting, "names starting with pg_ are reserved by PostgreSQL");
        }
        // passwords are taken verbatim: blanks may be part of them
        String password = raw.get("OMINIS_DB_" + kind + "_PASSWORD");
        return new Role(name, password == null || password.isEmpty() ? null : password, setting);
    }
}

package io.ominis.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * Choices made when the schema is created or migrated, by {@code migrate} and by {@code serve}.
 *
 * @param seedTrustedUsers      {@code OMINIS_ACL_SEED}: whether a new database gets the spec's seed ACL, list
 *                              {@code trusted_users} allowing 10.42.0.0/16, 10.43.0.0/16 (a Kubernetes cluster's
 *                              default pod and service networks) and 127.0.0.1/32. Default true, as the spec has it;
 *                              set false anywhere those networks are not your own. Only a database created while it is
 *                              false is affected; one migrated before keeps its rows, which the ACL API edits like any
 *                              others.
 * @param statementTimeout      {@code OMINIS_MIGRATE_STATEMENT_TIMEOUT_MS}: the statement timeout of the connection
 *                              migrations run on, separate from the API's {@code OMINIS_DB_STATEMENT_TIMEOUT_MS}
 *                              because adopting a large table (an index on 300k CDR rows) takes far longer than any
 *                              request should. Default 0, no timeout; at most 24 hours.
 * @param createMissingDatabase {@code OMINIS_DB_CREATE}: whether {@code migrate} and {@code serve} create the
 *                              configured database when it does not exist (default true). Creating needs the
 *                              CREATEDB privilege; set false where the database is provisioned by someone else and a
 *                              missing one must be an error.
 */
public record MigrationSettings(boolean seedTrustedUsers, Duration statementTimeout, boolean createMissingDatabase) {

    /** The setting naming the migrations' statement timeout. */
    public static final String STATEMENT_TIMEOUT = "OMINIS_MIGRATE_STATEMENT_TIMEOUT_MS";

    public MigrationSettings {
        SettingsReader.requireMillis(STATEMENT_TIMEOUT, statementTimeout, Duration.ZERO, Duration.ofHours(24));
    }

    /** Only the seed choice, with no migration timeout and missing databases created. */
    public MigrationSettings(boolean seedTrustedUsers) {
        this(seedTrustedUsers, Duration.ZERO, true);
    }

    /** Reads the settings from an environment map. */
    public static MigrationSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        return new MigrationSettings(env.bool("OMINIS_ACL_SEED", true),
                env.millis(STATEMENT_TIMEOUT, Duration.ZERO, Duration.ZERO, Duration.ofHours(24)),
                env.bool("OMINIS_DB_CREATE", true));
    }
}

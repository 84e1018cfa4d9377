package io.ominis.core.config;

import java.util.Map;

/**
 * Choices made when the schema is created.
 *
 * @param seedTrustedUsers {@code OMINIS_ACL_SEED}: whether a new database gets the spec's seed ACL, list
 *                         {@code trusted_users} allowing 10.42.0.0/16, 10.43.0.0/16 (a Kubernetes cluster's default
 *                         pod and service networks) and 127.0.0.1/32. Default true, as the spec has it; set false
 *                         anywhere those networks are not your own. Only a database created while it is false is
 *                         affected; one migrated before keeps its rows, which the ACL API edits like any others.
 */
public record MigrationSettings(boolean seedTrustedUsers) {

    /** Reads the settings from an environment map. */
    public static MigrationSettings fromEnvironment(Map<String, String> environment) {
        return new MigrationSettings(new SettingsReader(environment).bool("OMINIS_ACL_SEED", true));
    }
}

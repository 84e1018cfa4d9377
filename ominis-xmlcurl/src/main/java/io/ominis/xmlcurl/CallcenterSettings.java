package io.ominis.xmlcurl;

import io.ominis.core.config.FreeSwitchDsn;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;

/**
 * The {@code <settings>} of {@code callcenter.conf}. mod_callcenter reads them only when it loads, and without
 * {@code odbc-dsn} it silently keeps its state in a local SQLite file instead of the shared database, which is why
 * the DSN is required here.
 *
 * @param odbcDsn              the DSN mod_callcenter connects with, e.g. {@code pgsql://host=db dbname=ominis …} or
 *                             {@code odbc://ominis}
 * @param ccInstanceId         this cluster member's {@code cc-instance-id}; null for mod_callcenter's {@code single_box}
 * @param reserveAgents        {@code reserve-agents}; null to leave mod_callcenter's default
 * @param truncateTiersOnLoad  {@code truncate-tiers-on-load}; null for the default (false). True empties the shared
 *                             tiers table whenever any node loads the module.
 * @param truncateAgentsOnLoad {@code truncate-agents-on-load}; null for the default (false), same caution
 * @param globalDatabaseLock   {@code global-database-lock}; null for the default
 * @param agentOriginateTimeout {@code agent-originate-timeout} in seconds; null for the default (60)
 */
public record CallcenterSettings(
        String odbcDsn,
        String ccInstanceId,
        Boolean reserveAgents,
        Boolean truncateTiersOnLoad,
        Boolean truncateAgentsOnLoad,
        Boolean globalDatabaseLock,
        Integer agentOriginateTimeout) {

    /** Validates the DSN, the instance id and the timeout. */
    public CallcenterSettings {
        FieldCheck.required("odbc-dsn", odbcDsn, 4096);
        FreeSwitchDsn.parse("odbc-dsn", odbcDsn);
        FieldCheck.singleLine("cc-instance-id", ccInstanceId, 255);
        if (ccInstanceId != null && ccInstanceId.isBlank()) {
            throw new InvalidValueException("cc-instance-id", "must not be blank; use null for single_box");
        }
        if (agentOriginateTimeout != null) {
            FieldCheck.range("agent-originate-timeout", agentOriginateTimeout, 1, 86_400);
        }
    }

    /** Settings with only the DSN and the instance id. */
    public static CallcenterSettings of(String odbcDsn, String ccInstanceId) {
        return new CallcenterSettings(odbcDsn, ccInstanceId, null, null, null, null, null);
    }
}

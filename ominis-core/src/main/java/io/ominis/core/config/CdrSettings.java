package io.ominis.core.config;

import io.ominis.core.ConfigurationException;
import java.util.Map;

/**
 * How the partitioned {@code cdr} table is maintained: how many monthly partitions to keep ready ahead of the current
 * month and how long records are kept.
 *
 * @param retentionMonths {@code OMINIS_CDR_RETENTION_MONTHS}: whole months kept before the current one; older monthly
 *                        partitions are dropped. 0 (the default) keeps every record forever.
 * @param monthsAhead     {@code OMINIS_CDR_MONTHS_AHEAD}: monthly partitions created beyond the current month (default
 *                        3), so that a missed maintenance run does not send new records to the default partition.
 */
public record CdrSettings(int retentionMonths, int monthsAhead) {

    /** The longest retention accepted, a century: anything longer is a typo for "forever" (0). */
    public static final int MAX_RETENTION_MONTHS = 1200;
    /** The most partitions kept ahead. */
    public static final int MAX_MONTHS_AHEAD = 24;

    public CdrSettings {
        if (retentionMonths < 0 || retentionMonths > MAX_RETENTION_MONTHS) {
            throw new ConfigurationException("OMINIS_CDR_RETENTION_MONTHS",
                    "must be from 0 (keep forever) to " + MAX_RETENTION_MONTHS + ", got " + retentionMonths);
        }
        if (monthsAhead < 0 || monthsAhead > MAX_MONTHS_AHEAD) {
            throw new ConfigurationException("OMINIS_CDR_MONTHS_AHEAD",
                    "must be from 0 to " + MAX_MONTHS_AHEAD + ", got " + monthsAhead);
        }
    }

    /** Keep everything, three months ahead. */
    public static CdrSettings defaults() {
        return new CdrSettings(0, 3);
    }

    /**
     * Reads the settings from an environment map.
     *
     * @throws ConfigurationException naming the first setting that is wrong
     */
    public static CdrSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        return new CdrSettings(
                env.integer("OMINIS_CDR_RETENTION_MONTHS", 0, 0, MAX_RETENTION_MONTHS),
                env.integer("OMINIS_CDR_MONTHS_AHEAD", 3, 0, MAX_MONTHS_AHEAD));
    }

    /** Whether records are kept forever (no retention). */
    public boolean keepForever() {
        return retentionMonths == 0;
    }
}

package io.ominis.core.config;

import io.ominis.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where reads that may trail the primary by a moment (live state, CDR lists and statistics, the console) go: one or
 * more streaming standbys named by {@code OMINIS_DB_READ_DSN}, used only while their replay lag stays within a bound.
 * Without a read DSN every read goes to the primary, as before. Writes and directory lookups always go to the primary.
 *
 * <p>With several hosts in the read DSN, pgjdbc's {@code targetServerType} defaults to {@code preferSecondary}: a
 * standby when one answers, else whichever server does, so that reads still work when every standby is gone (Ominis
 * then notices the server is not in recovery and reads from its primary pool). {@code secondary} would make every
 * read wait for a connect timeout before falling back while no standby is up.
 *
 * @param database   the read DSN's servers and pool ({@code OMINIS_DB_READ_DSN}, {@code OMINIS_DB_READ_POOL_SIZE});
 *                   the statement and connect timeouts are {@code timeout}
 * @param maxLag     {@code OMINIS_DB_READ_MAX_LAG_MS}: above this replay lag reads go to the primary until the
 *                   replica catches up (default 2000 ms; 0 = only a replica that has replayed everything)
 * @param timeout    {@code OMINIS_DB_READ_TIMEOUT_MS}: how long a read or lag probe may wait on the replica before
 *                   the read is answered from the primary (default 2000 ms; pgjdbc's socket timeout is whole seconds,
 *                   so a frozen replica costs at most this rounded up plus one second)
 * @param probeEvery {@code OMINIS_DB_READ_PROBE_INTERVAL_MS}: how often the lag is measured (default 500 ms)
 */
public record ReadReplicaSettings(DatabaseSettings database, Duration maxLag, Duration timeout, Duration probeEvery) {

    /** The setting naming the read replicas. */
    public static final String DSN = "OMINIS_DB_READ_DSN";

    /** pgjdbc's {@code targetServerType} for a read DSN with several hosts, unless the DSN names one. */
    public static final String TARGET_SERVER_TYPE = "preferSecondary";

    /**
     * Checks every field, with the messages of {@link #fromEnvironment}.
     *
     * @throws ConfigurationException naming the setting of the first wrong field
     */
    public ReadReplicaSettings {
        Objects.requireNonNull(database, "database");
        SettingsReader.requireMillis("OMINIS_DB_READ_MAX_LAG_MS", maxLag, Duration.ZERO, Duration.ofHours(1));
        SettingsReader.requireMillis("OMINIS_DB_READ_TIMEOUT_MS", timeout, Duration.ofMillis(250),
                Duration.ofMinutes(1));
        SettingsReader.requireMillis("OMINIS_DB_READ_PROBE_INTERVAL_MS", probeEvery, Duration.ofMillis(100),
                Duration.ofMinutes(1));
        if (maxLag.compareTo(Duration.ZERO) > 0 && probeEvery.compareTo(maxLag) > 0) {
            // the lag is known only at each probe: a bound shorter than the interval could be passed unnoticed
            throw new ConfigurationException("OMINIS_DB_READ_PROBE_INTERVAL_MS", "must be at most "
                    + "OMINIS_DB_READ_MAX_LAG_MS (" + maxLag.toMillis() + " ms), got " + probeEvery.toMillis() + " ms");
        }
    }

    /**
     * Reads the settings from an environment map: empty when {@code OMINIS_DB_READ_DSN} is unset or empty.
     *
     * @param primary the primary's settings, whose pool size is the read pool's default
     * @throws ConfigurationException naming the first setting that is wrong, also when a read setting is given
     *                                without a read DSN (it would silently do nothing)
     */
    public static Optional<ReadReplicaSettings> fromEnvironment(Map<String, String> environment,
            DatabaseSettings primary) {
        SettingsReader env = new SettingsReader(environment);
        String dsn = env.string(DSN);
        if (dsn == null) {
            for (String dependent : new String[] {"OMINIS_DB_READ_MAX_LAG_MS", "OMINIS_DB_READ_TIMEOUT_MS",
                "OMINIS_DB_READ_PROBE_INTERVAL_MS", "OMINIS_DB_READ_POOL_SIZE"}) {
                if (env.has(dependent)) {
                    throw new ConfigurationException(dependent, "is set but " + DSN + " is not; set " + DSN
                            + " to read from replicas, or unset " + dependent);
                }
            }
            return Optional.empty();
        }
        Duration maxLag = env.millis("OMINIS_DB_READ_MAX_LAG_MS", Duration.ofSeconds(2), Duration.ZERO,
                Duration.ofHours(1));
        Duration timeout = env.millis("OMINIS_DB_READ_TIMEOUT_MS", Duration.ofSeconds(2), Duration.ofMillis(250),
                Duration.ofMinutes(1));
        Duration probeEvery = env.millis("OMINIS_DB_READ_PROBE_INTERVAL_MS", Duration.ofMillis(500),
                Duration.ofMillis(100), Duration.ofMinutes(1));
        int poolSize = env.integer("OMINIS_DB_READ_POOL_SIZE", primary.poolSize(), 1, DatabaseSettings.MAX_POOL_SIZE);
        DatabaseSettings read = DatabaseSettings.parseDsn(DSN, dsn, TARGET_SERVER_TYPE, poolSize, timeout, timeout);
        return Optional.of(new ReadReplicaSettings(read, maxLag, timeout, probeEvery));
    }

    @Override
    public String toString() {
        return "ReadReplicaSettings[" + database.describe() + ", maxLag=" + maxLag + ", timeout=" + timeout
                + ", probeEvery=" + probeEvery + "]";
    }
}

package io.ominis.core.switchstate;

/**
 * One row of FreeSWITCH's {@code recovery} table: what is needed to recover an answered channel after a restart.
 *
 * @param metadata the XML CDR text of the channel
 */
public record RecoveryEntry(
        String runtimeUuid,
        String technology,
        String profileName,
        String hostname,
        String uuid,
        String metadata) {
}

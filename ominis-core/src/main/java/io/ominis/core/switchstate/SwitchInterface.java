package io.ominis.core.switchstate;

/**
 * One row of FreeSWITCH's {@code interfaces} table: an API, application, codec, endpoint… registered by a loaded
 * module on one host. Tells which modules a node actually runs.
 */
public record SwitchInterface(
        String type,
        String name,
        String description,
        String ikey,
        String filename,
        String syntax,
        String hostname) {
}

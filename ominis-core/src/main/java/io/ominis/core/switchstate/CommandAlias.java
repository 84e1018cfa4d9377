package io.ominis.core.switchstate;

/** One row of FreeSWITCH's {@code aliases} table: a console alias ({@code alias add}). */
public record CommandAlias(Integer sticky, String alias, String command, String hostname) {
}

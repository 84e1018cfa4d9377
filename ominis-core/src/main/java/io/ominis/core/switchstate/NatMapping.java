package io.ominis.core.switchstate;

/** One row of FreeSWITCH's {@code nat} table: a port mapped through NAT-PMP/UPnP. */
public record NatMapping(Integer sticky, Integer port, Integer proto, String hostname) {
}

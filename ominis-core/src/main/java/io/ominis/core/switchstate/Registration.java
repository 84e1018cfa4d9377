package io.ominis.core.switchstate;

import java.time.Instant;

/**
 * One row of FreeSWITCH's {@code registrations} table, written by mod_sofia on each REGISTER.
 *
 * @param expires absolute time (seconds since the epoch) after which the registration is stale; 0 means no expiry
 * @param url     the contact as FreeSWITCH dials it, e.g. {@code sofia/internal/sip:1001@10.0.0.5:5060}
 */
public record Registration(
        String regUser,
        String realm,
        String token,
        String url,
        Integer expires,
        String networkIp,
        String networkPort,
        String networkProto,
        String hostname,
        String metadata) {

    /**
     * Whether the registration has run out at {@code now}. FreeSWITCH sweeps such rows only every 15 seconds and only
     * for its own switch name, so a reader must check this itself.
     */
    public boolean expiredAt(Instant now) {
        return expires != null && expires > 0 && expires <= now.getEpochSecond();
    }
}

package io.ominis.directory;

import io.ominis.core.acl.Cidr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides who may ask the FreeSWITCH-facing endpoints: HTTP Basic with {@code OMINIS_XMLCURL_USER}/{@code _PASSWORD}
 * (FreeSWITCH's {@code gateway-credentials}) when configured, a source address within
 * {@code OMINIS_XMLCURL_ALLOWED_CIDRS} when configured (both must hold when both are set), and with neither only
 * loopback clients — the directory hands out SIP passwords, so it is never open by default.
 */
public final class XmlCurlAccess {

    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

    /** Enough for any cluster; past it addresses are still checked, just not remembered (so memory stays bounded). */
    private static final int MAX_REMEMBERED_SOURCES = 4096;

    private final byte[] expectedAuthorization;
    private final Map<String, Boolean> sources = new ConcurrentHashMap<>();
    private final List<Cidr> allowed;

    /** The access rule of {@code settings}' credentials and networks. */
    public XmlCurlAccess(XmlCurlSettings settings) {
        this.expectedAuthorization = settings.credentialsConfigured()
                ? ("Basic " + Base64.getEncoder().encodeToString((settings.user() + ":"
                        + settings.password()).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8)
                : null;
        this.allowed = !settings.allowedCidrs().isEmpty() ? settings.allowedCidrs()
                : expectedAuthorization == null ? LOOPBACK : List.of();
    }

    /** The verdict for one request. */
    public enum Verdict {
        ALLOWED, BAD_CREDENTIALS, SOURCE_NOT_ALLOWED
    }

    /** Checks the request's {@code Authorization} header (may be null) and source address. */
    public Verdict check(String authorization, String remoteAddress) {
        if (expectedAuthorization != null) {
            byte[] given = authorization == null ? new byte[0] : authorization.strip().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, expectedAuthorization)) {
                return Verdict.BAD_CREDENTIALS;
            }
        }
        if (!allowed.isEmpty() && !sourceAllowed(remoteAddress)) {
            return Verdict.SOURCE_NOT_ALLOWED;
        }
        return Verdict.ALLOWED;
    }

    /**
     * Whether {@code remoteAddress} is within the allowed networks, remembered per address: the callers are a few
     * FreeSWITCH nodes asking on every SIP request, and parsing the address text each time showed in profiles.
     */
    private boolean sourceAllowed(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        Boolean known = sources.get(remoteAddress);
        if (known != null) {
            return known;
        }
        boolean inside = allowed.stream().anyMatch(c -> c.contains(remoteAddress));
        if (sources.size() < MAX_REMEMBERED_SOURCES) {
            sources.put(remoteAddress, inside);
        }
        return inside;
    }

    /** One line for the start-up log describing who may ask. */
    public String describe() {
        if (expectedAuthorization == null && allowed == LOOPBACK) {
            return "FreeSWITCH endpoints answer loopback clients only (set OMINIS_XMLCURL_USER/OMINIS_XMLCURL_PASSWORD "
                    + "or OMINIS_XMLCURL_ALLOWED_CIDRS to open them)";
        }
        StringBuilder s = new StringBuilder("FreeSWITCH endpoints require ");
        if (expectedAuthorization != null) {
            s.append("HTTP Basic credentials");
        }
        if (!allowed.isEmpty()) {
            s.append(expectedAuthorization != null ? " and " : "").append("a source in ").append(allowed);
        }
        return s.toString();
    }
}

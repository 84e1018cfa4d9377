package io.ominis.api.rest;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.ominis.core.Digests;
import io.ominis.core.acl.Cidr;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Guards the management API: with {@code OMINIS_API_TOKEN} set, every {@code /v1/} route except the FreeSWITCH-facing
 * ones needs {@code Authorization: Bearer <token>}; without it, only loopback clients are served.
 */
public final class ApiAuth {

    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

    /** The header a 401 carries. */
    public static final String CHALLENGE_HEADER = "WWW-Authenticate";
    /** Its value: the scheme and realm a client is to answer with. */
    public static final String CHALLENGE = "Bearer realm=\"ominis\"";

    private final byte[] expected;
    private final String freeSwitchPaths;

    /** Guards with {@code token} (null: loopback clients only) the API mounted at the root. */
    public ApiAuth(String token) {
        this(token, "");
    }

    /** Guards with {@code token} the API mounted under {@code prefix} (empty, or such as {@code /ominis}). */
    public ApiAuth(String token, String prefix) {
        this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.freeSwitchPaths = prefix + "/v1/freeswitch/";
    }

    /**
     * Whether {@code authorization} carries the configured token. The scheme is case-insensitive (RFC 9110 §11.1:
     * {@code bearer} and {@code BEARER} are {@code Bearer}); the token is compared in constant time. False when no
     * token is configured.
     */
    public boolean authenticated(String authorization) {
        if (expected == null || authorization == null) {
            return false;
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
            return false;
        }
        return Digests.constantTimeEquals(header.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8), expected);
    }

    /** Whether no token is configured, so that only loopback clients are served. */
    public boolean loopbackOnly() {
        return expected == null;
    }

    /** Whether {@code ip} is a loopback address; a plain loop, as it runs on every request. */
    public static boolean isLoopback(String ip) {
        for (Cidr network : LOOPBACK) {
            if (network.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** A before-handler: passes, or throws 401/403 (the error mapping adds {@link #CHALLENGE} to a 401). */
    public void check(Context ctx) {
        if (ctx.path().startsWith(freeSwitchPaths)) {
            return; // guarded by XmlCurlAccess with FreeSWITCH's own credentials
        }
        HttpResponseException refusal = refusal(ctx.header("Authorization"), ctx.ip());
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * Why a request to a guarded route with this {@code Authorization} header (or null) from {@code ip} is refused:
     * 403 for a client other than loopback while no token is set, 401 for a missing or wrong token (answered with
     * {@link #CHALLENGE}); null when it is let in.
     */
    public HttpResponseException refusal(String authorization, String ip) {
        if (expected == null) {
            return isLoopback(ip) ? null : new HttpResponseException(403,
                    "the management API serves loopback clients only until OMINIS_API_TOKEN is set");
        }
        return authenticated(authorization) ? null
                : new HttpResponseException(401, "send Authorization: Bearer <OMINIS_API_TOKEN>");
    }

    /** One line for the start-up log. */
    public String describe() {
        return expected == null
                ? "management API serves loopback clients only (set OMINIS_API_TOKEN to open it with a bearer token)"
                : "management API requires a bearer token";
    }
}

package io.ominis.core.ivr;

import io.ominis.core.InvalidValueException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where IVR options may reach: the deployment's part of the {@code action_target} rules, on top of the structural
 * ones every option meets ({@link IvrActionType#validateTarget(String)}).
 *
 * <ul>
 *   <li>{@code play_audio}: a named stream of {@link IvrActionType#SOUND_STREAMS} ({@code tone_stream://},
 *       {@code silence_stream://}, {@code say:}, {@code phrase:}), a relative file (FreeSWITCH resolves it under its
 *       own sounds directory), or an absolute file under one of {@link #soundRoots()}. Never {@code shell_stream://},
 *       a remote URL, {@code ..} or an absolute path elsewhere.</li>
 *   <li>{@code http_api_call}: only a URL matching one of {@link #httpAllowedUrls()} (none: every such option is
 *       refused). An entry matches a URL with the same scheme, host ({@code *.example.com} for its subdomains,
 *       {@code *} for any host), port and a path that starts with the entry's. A loopback or link-local host
 *       ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}, {@code 169.254.0.0/16}, {@code fe80::/10}, {@code 0.0.0.0})
 *       is refused unless an entry names that very host; numeric host forms other than dotted quads
 *       ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1}) are always refused. Host names are not resolved.</li>
 * </ul>
 *
 * @param soundRoots      absolute directories whose files {@code play_audio} may play
 * @param httpAllowedUrls absolute http or https URLs that {@code http_api_call} targets must match
 */
public record IvrTargetPolicy(List<Path> soundRoots, List<URI> httpAllowedUrls) {

    private static final Pattern NUMERIC_HOST = Pattern.compile("(?i)[0-9.]+|0x[0-9a-fx.]*|[0-9]+\\.0x.*");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /**
     * Normalises the roots and checks every entry.
     *
     * @throws io.ominis.core.ConfigurationException naming {@code OMINIS_IVR_SOUND_ROOTS} or
     *                                               {@code OMINIS_IVR_HTTP_ALLOWED_URLS}, the settings these come from
     */
    public IvrTargetPolicy {
        soundRoots = soundRoots.stream().map(p -> {
            if (!p.isAbsolute()) {
                throw new io.ominis.core.ConfigurationException("OMINIS_IVR_SOUND_ROOTS",
                        "'" + p + "' must be an absolute directory");
            }
            return p.normalize();
        }).toList();
        httpAllowedUrls = List.copyOf(httpAllowedUrls);
        for (URI entry : httpAllowedUrls) {
            String scheme = entry.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || entryHost(entry) == null) {
                throw new io.ominis.core.ConfigurationException("OMINIS_IVR_HTTP_ALLOWED_URLS",
                        "'" + entry + "' must be an absolute http or https URL");
            }
        }
    }

    /**
     * Parses the allowlist entries, comma-separated.
     *
     * @throws io.ominis.core.ConfigurationException naming the first entry that is not a URL
     */
    public static List<URI> parseUrls(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    try {
                        return new URI(s);
                    } catch (URISyntaxException e) {
                        throw new io.ominis.core.ConfigurationException("OMINIS_IVR_HTTP_ALLOWED_URLS",
                                "'" + s + "' is not a URL: " + e.getReason());
                    }
                }).toList();
    }

    /**
     * Checks {@code option}'s target against this policy (after its own {@link IvrMenuOption#validate()}).
     *
     * @throws InvalidValueException naming {@code action_target}
     */
    public IvrMenuOption check(IvrMenuOption option) {
        if (option.actionType() == IvrActionType.PLAY_AUDIO) {
            checkSound(option.actionTarget());
        } else if (option.actionType() == IvrActionType.HTTP_API_CALL) {
            checkHttp(option.actionTarget());
        }
        return option;
    }

    private void checkSound(String target) {
        if (IvrActionType.isSoundStream(target) || !target.startsWith("/")) {
            return; // the structural rules already refused other schemes and '..'
        }
        Path path;
        try {
            path = Path.of(target).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidValueException("action_target", "is not a file path: " + e.getReason());
        }
        for (Path root : soundRoots) {
            if (path.startsWith(root)) {
                return;
            }
        }
        throw new InvalidValueException("action_target", "must be a file under one of the sound roots "
                + soundRoots + " (OMINIS_IVR_SOUND_ROOTS), a relative file or a named stream "
                + IvrActionType.SOUND_STREAMS);
    }

    private void checkHttp(String target) {
        URI url = URI.create(target); // the structural rules proved it parses, with an http(s) scheme and a host
        String host = host(url);
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new InvalidValueException("action_target", "must name its host or give a dotted IPv4 address");
        }
        for (URI entry : httpAllowedUrls) {
            if (matches(entry, url)) {
                if (isLocal(host) && !host.equals(host(entry))) {
                    break;
                }
                return;
            }
        }
        if (isLocal(host)) {
            throw new InvalidValueException("action_target", "must not reach a loopback or link-local host unless "
                    + "OMINIS_IVR_HTTP_ALLOWED_URLS names it");
        }
        throw new InvalidValueException("action_target", httpAllowedUrls.isEmpty()
                ? "http_api_call is not allowed: OMINIS_IVR_HTTP_ALLOWED_URLS lists no URL"
                : "must match one of OMINIS_IVR_HTTP_ALLOWED_URLS " + httpAllowedUrls);
    }

    private static boolean matches(URI entry, URI url) {
        if (!entry.getScheme().equalsIgnoreCase(url.getScheme())) {
            return false;
        }
        String entryHost = entryHost(entry);
        String host = host(url);
        boolean hostMatches = entryHost.equals("*") || entryHost.equals(host)
                || entryHost.startsWith("*.") && host.endsWith(entryHost.substring(1));
        if (!hostMatches || port(entry) != port(url)) {
            return false;
        }
        String entryPath = Objects.requireNonNullElse(entry.getRawPath(), "");
        String path = Objects.requireNonNullElse(url.getRawPath(), "");
        return entryPath.isEmpty() || entryPath.endsWith("/") && path.startsWith(entryPath)
                || path.equals(entryPath) || path.startsWith(entryPath + "/");
    }

    /** The host of an allowlist entry, which may be {@code *} or {@code *.domain}; null when it has none. */
    private static String entryHost(URI entry) {
        if (entry.getHost() != null) {
            return host(entry);
        }
        String authority = entry.getRawAuthority();
        if (authority == null || authority.contains("@")) {
            return null;
        }
        String host = authority.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
        return host.equals("*") || host.matches("\\*(\\.[a-z0-9-]+)+") ? host : null;
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        if (uri.getHost() == null && uri.getRawAuthority() != null && uri.getRawAuthority().matches(".*:\\d+")) {
            return Integer.parseInt(uri.getRawAuthority().replaceFirst(".*:", ""));
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Loopback, link-local or unspecified, judged from the literal host alone. */
    static boolean isLocal(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        var quad = DOTTED_QUAD.matcher(host);
        if (quad.matches()) {
            int a = Integer.parseInt(quad.group(1));
            int b = Integer.parseInt(quad.group(2));
            return a == 127 || a == 0 || (a == 169 && b == 254);
        }
        if (host.contains(":")) {
            String h = host.replaceFirst("%.*$", "");
            if (h.startsWith("::ffff:")) {
                return isLocal(h.substring("::ffff:".length()));
            }
            return h.equals("::1") || h.equals("::") || h.matches("0*:0*:0*:0*:0*:0*:0*:0*1?")
                    || h.matches("(?i)fe[89ab][0-9a-f]?:.*");
        }
        return false;
    }
}

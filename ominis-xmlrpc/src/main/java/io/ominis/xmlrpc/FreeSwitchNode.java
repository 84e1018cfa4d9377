package io.ominis.xmlrpc;

import io.ominis.core.ConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * One FreeSWITCH node reachable over mod_xml_rpc: a short name, its HTTP root and its XML-RPC credentials.
 * {@link #toString()} leaves the password out.
 *
 * @param name    a short unique name such as {@code fs1}, used in results, errors and health
 * @param baseUrl the HTTP root without credentials, e.g. {@code http://10.0.0.5:8080}
 */
public record FreeSwitchNode(String name, String baseUrl, String user, String password) {

    /** The environment variable {@link #parseAll(String)} reads. */
    public static final String SETTING = "OMINIS_FREESWITCH_NODES";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public FreeSwitchNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Parses {@value #SETTING}: comma-separated {@code name=http://user:password@host:port} entries, e.g.
     * {@code fs1=http://freeswitch:works@10.0.0.5:8080,fs2=http://freeswitch:works@10.0.0.6:8080}. Names are
     * {@code [A-Za-z0-9._-]}, unique; user and password are percent-decoded, so a {@code ,} {@code @} {@code :} or
     * {@code %} in them must be written {@code %2C} {@code %40} {@code %3A} {@code %25}. Spaces around entries are
     * ignored.
     *
     * @throws ConfigurationException one line naming the entry and the problem, never echoing a password
     */
    public static List<FreeSwitchNode> parseAll(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(SETTING, "is empty; expected name=http://user:password@host:port[,…]");
        }
        List<FreeSwitchNode> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String where = "entry " + (i + 1);
            String entry = entries[i].strip();
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(SETTING, where + " must look like name=http://user:password@host:port");
            }
            String name = entry.substring(0, eq).strip();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException(SETTING, where + ": node name must be 1-64 of [A-Za-z0-9._-]");
            }
            where += " ('" + name + "')";
            if (!names.add(name)) {
                throw new ConfigurationException(SETTING, where + ": node name appears twice");
            }
            HttpUrl url = HttpUrl.parse(entry.substring(eq + 1).strip());
            if (url == null) {
                throw new ConfigurationException(SETTING, where + ": not an http:// or https:// URL");
            }
            if (url.username().isEmpty() || url.password().isEmpty()) {
                throw new ConfigurationException(SETTING, where + ": URL must carry user:password@ for mod_xml_rpc's Basic auth");
            }
            if (!url.encodedPath().equals("/") || url.query() != null || url.fragment() != null) {
                throw new ConfigurationException(SETTING, where + ": URL must be scheme://user:password@host:port with no path");
            }
            HttpUrl bare = url.newBuilder().username("").password("").build();
            String base = bare.toString().substring(0, bare.toString().length() - 1);
            try {
                // Let the client's own checks decide what a usable user/password is, so both agree.
                FreeSwitchClient.builder().baseUrl(base).user(url.username()).password(url.password());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(SETTING, where + ": " + e.getMessage());
            }
            nodes.add(new FreeSwitchNode(name, base, url.username(), url.password()));
        }
        return List.copyOf(nodes);
    }

    @Override
    public String toString() {
        return "FreeSwitchNode[" + name + ", " + baseUrl + ", user=" + user + "]";
    }
}

package io.ominis.directory;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.acl.Cidr;
import io.ominis.core.config.FreeSwitchDsn;
import io.ominis.core.config.SettingsReader;
import io.ominis.core.directory.Domain;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.core.ivr.IvrActionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the mod_xml_curl service answers and whom it answers, checked field by field when built (with the one-line
 * message naming the environment variable the field is read from), so a value made in code fails like a bad variable.
 *
 * @param user             HTTP Basic user FreeSWITCH sends as {@code gateway-credentials} ({@code OMINIS_XMLCURL_USER})
 * @param password         its password ({@code OMINIS_XMLCURL_PASSWORD}); set both or neither
 * @param allowedCidrs     networks allowed to ask ({@code OMINIS_XMLCURL_ALLOWED_CIDRS}, comma-separated); with no
 *                         credentials and no networks only loopback clients are answered
 * @param lookupTimeout    longest a directory request waits for the database ({@code OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS},
 *                         50 to 30000, default 2000)
 * @param cache            whether directory answers are kept in memory ({@code OMINIS_DIRECTORY_CACHE}, default true)
 * @param cacheSize        most users kept ({@code OMINIS_DIRECTORY_CACHE_SIZE}, 100 to 50000000, default 500000)
 * @param cacheRenderedMegabytes most memory for rendered user documents kept in the cache, for the users rendered
 *                         first ({@code OMINIS_DIRECTORY_CACHE_RENDERED_MB}, 0 to 65536, default 256); a user without
 *                         one is rendered again from its cached row, which costs CPU, not a query
 * @param cacheableMillis  FreeSWITCH-side {@code cacheable} on users, 0 = off ({@code OMINIS_DIRECTORY_CACHEABLE_MS})
 * @param userContext      dialplan context of users ({@code OMINIS_USER_CONTEXT}, default {@code default})
 * @param callcenterOdbcDsn {@code odbc-dsn} served in callcenter.conf ({@code OMINIS_CALLCENTER_ODBC_DSN}); one that
 *                         FreeSWITCH would open as SQLite is refused
 * @param callcenterQueues queues always listed in callcenter.conf ({@code OMINIS_CALLCENTER_QUEUES})
 * @param domains          domains added to the served ones at start-up if missing ({@code OMINIS_DOMAINS},
 *                         comma-separated, kept in lower case); never removed by it
 * @param passwordStorage  how SIP passwords written are kept ({@code OMINIS_SIP_PASSWORD_STORAGE}, {@code plain} or
 *                         {@code a1-hash}); in {@code a1-hash} FreeSWITCH gets {@code a1-hash} for every user, also
 *                         for one whose password is still stored
 */
public record XmlCurlSettings(
        String user,
        String password,
        List<Cidr> allowedCidrs,
        Duration lookupTimeout,
        boolean cache,
        int cacheSize,
        int cacheRenderedMegabytes,
        int cacheableMillis,
        String userContext,
        String callcenterOdbcDsn,
        List<String> callcenterQueues,
        List<String> domains,
        SipPasswordStorage passwordStorage) {

    /** What {@code freeswitch-config} names the database in odbc.ini, as the DSN mod_callcenter must use. */
    public static final String DEFAULT_CALLCENTER_ODBC_DSN = "odbc://ominis";
    private static final Duration MIN_LOOKUP = Duration.ofMillis(50);
    private static final Duration MAX_LOOKUP = Duration.ofSeconds(30);

    /**
     * Checks every field.
     *
     * @throws ConfigurationException naming the environment variable of the first wrong field
     */
    public XmlCurlSettings {
        user = user == null || user.isEmpty() ? null : user;
        password = password == null || password.isEmpty() ? null : password;
        if ((user == null) != (password == null)) {
            throw new ConfigurationException(user == null ? "OMINIS_XMLCURL_USER" : "OMINIS_XMLCURL_PASSWORD",
                    "set both OMINIS_XMLCURL_USER and OMINIS_XMLCURL_PASSWORD, or neither");
        }
        if (user != null && user.contains(":")) {
            throw new ConfigurationException("OMINIS_XMLCURL_USER", "must not contain ':' (HTTP Basic splits on it)");
        }
        allowedCidrs = List.copyOf(allowedCidrs);
        SettingsReader.requireMillis("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", lookupTimeout, MIN_LOOKUP, MAX_LOOKUP);
        SettingsReader.requireRange("OMINIS_DIRECTORY_CACHE_SIZE", cacheSize, 100, 50_000_000);
        SettingsReader.requireRange("OMINIS_DIRECTORY_CACHE_RENDERED_MB", cacheRenderedMegabytes, 0, 65_536);
        SettingsReader.requireRange("OMINIS_DIRECTORY_CACHEABLE_MS", cacheableMillis, 0, 86_400_000);
        if (userContext == null || !userContext.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigurationException("OMINIS_USER_CONTEXT", "must be a dialplan context name, got '"
                    + userContext + "'");
        }
        try {
            FreeSwitchDsn.parse("OMINIS_CALLCENTER_ODBC_DSN", callcenterOdbcDsn);
        } catch (InvalidValueException e) {
            throw new ConfigurationException("OMINIS_CALLCENTER_ODBC_DSN", e.reason());
        }
        callcenterQueues = List.copyOf(callcenterQueues);
        for (String name : callcenterQueues) {
            if (!IvrActionType.QUEUE_NAME.matcher(name).matches()) {
                throw new ConfigurationException("OMINIS_CALLCENTER_QUEUES", "'" + name + "' is not a queue name");
            }
        }
        List<String> normalized = new ArrayList<>();
        for (String name : domains) {
            try {
                normalized.add(Domain.normalize("OMINIS_DOMAINS", name));
            } catch (InvalidValueException e) {
                throw new ConfigurationException("OMINIS_DOMAINS", "'" + name + "' " + e.reason());
            }
        }
        domains = List.copyOf(normalized);
        Objects.requireNonNull(passwordStorage, "passwordStorage");
    }

    /** The defaults: loopback clients only, a 2 s lookup bound, a cache of 500000 users, context {@code default}. */
    public static XmlCurlSettings defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * Maps the environment variables named on the fields to a checked value.
     *
     * @throws ConfigurationException naming the first wrong setting
     */
    public static XmlCurlSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : list(env.string("OMINIS_XMLCURL_ALLOWED_CIDRS"))) {
            try {
                cidrs.add(Cidr.parse(part));
            } catch (InvalidValueException e) {
                throw new ConfigurationException("OMINIS_XMLCURL_ALLOWED_CIDRS", e.reason());
            }
        }
        return new XmlCurlSettings(env.string("OMINIS_XMLCURL_USER"), environment.get("OMINIS_XMLCURL_PASSWORD"),
                cidrs,
                env.millis("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", Duration.ofSeconds(2), MIN_LOOKUP, MAX_LOOKUP),
                env.bool("OMINIS_DIRECTORY_CACHE", true),
                env.integer("OMINIS_DIRECTORY_CACHE_SIZE", 500_000, 100, 50_000_000),
                env.integer("OMINIS_DIRECTORY_CACHE_RENDERED_MB", 256, 0, 65_536),
                env.integer("OMINIS_DIRECTORY_CACHEABLE_MS", 0, 0, 86_400_000),
                env.string("OMINIS_USER_CONTEXT", "default"),
                env.string("OMINIS_CALLCENTER_ODBC_DSN", DEFAULT_CALLCENTER_ODBC_DSN),
                list(env.string("OMINIS_CALLCENTER_QUEUES")),
                list(env.string("OMINIS_DOMAINS")),
                SipPasswordStorage.fromEnvironment(environment));
    }

    /** Whether FreeSWITCH must present HTTP Basic credentials. */
    public boolean credentialsConfigured() {
        return user != null;
    }

    private static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.strip());
                }
            }
        }
        return items;
    }

    @Override
    public String toString() {
        return "XmlCurlSettings[user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", allowedCidrs=" + allowedCidrs + ", lookupTimeout=" + lookupTimeout + ", cache=" + cache
                + ", cacheSize=" + cacheSize + ", cacheRenderedMegabytes=" + cacheRenderedMegabytes
                + ", cacheableMillis=" + cacheableMillis + ", userContext=" + userContext
                + ", callcenterOdbcDsn=" + callcenterOdbcDsn + ", callcenterQueues=" + callcenterQueues
                + ", domains=" + domains + ", passwordStorage=" + passwordStorage + "]";
    }
}

package io.ominis.server;

import io.ominis.core.ConfigurationException;
import io.ominis.core.acl.Cidr;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.StaleStateSettings;
import io.ominis.core.config.FreeSwitchDsn;
import io.ominis.core.config.SettingsReader;
import io.ominis.core.InvalidValueException;
import io.ominis.server.secrets.SecretBox;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.core.ivr.IvrTargetPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.ominis.xmlrpc.FreeSwitchNode;
import io.ominis.tts.TtsSettings;
import javax.crypto.SecretKey;

/**
 * Everything {@code serve} reads from the environment, validated at once so that a wrong setting stops start-up with
 * one line naming it. Secrets are kept here but never appear in {@link #toString()}.
 *
 * @param port                 HTTP port ({@code PORT}, default 8000)
 * @param bindHost             address to listen on ({@code OMINIS_BIND}, default 0.0.0.0)
 * @param migrateOnStart       apply migrations before serving ({@code OMINIS_MIGRATE_ON_START}, default true)
 * @param xmlCurlUser          HTTP Basic user FreeSWITCH sends as {@code gateway-credentials} ({@code OMINIS_XMLCURL_USER})
 * @param xmlCurlPassword      its password ({@code OMINIS_XMLCURL_PASSWORD})
 * @param xmlCurlAllowedCidrs  networks allowed to ask without credentials ({@code OMINIS_XMLCURL_ALLOWED_CIDRS},
 *                             comma-separated)
 * @param lookupTimeout        longest a directory request waits for the database ({@code OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS},
 *                             default 2000)
 * @param directoryCache       whether directory answers are cached ({@code OMINIS_DIRECTORY_CACHE}, default true)
 * @param directoryCacheSize   most users kept ({@code OMINIS_DIRECTORY_CACHE_SIZE}, default 500000)
 * @param cacheableMillis      FreeSWITCH-side {@code cacheable} on users, 0 = off ({@code OMINIS_DIRECTORY_CACHEABLE_MS})
 * @param userContext          dialplan context of users ({@code OMINIS_USER_CONTEXT}, default {@code default})
 * @param callcenterOdbcDsn    {@code odbc-dsn} served in callcenter.conf ({@code OMINIS_CALLCENTER_ODBC_DSN}, default
 *                             {@code odbc://ominis}); one that FreeSWITCH would open as SQLite is refused
 * @param callcenterQueues     queues always listed in callcenter.conf ({@code OMINIS_CALLCENTER_QUEUES}, comma-separated)
 * @param apiToken             bearer token for the management API ({@code OMINIS_API_TOKEN})
 * @param freeswitchNodes      FreeSWITCH nodes steered over XML-RPC ({@code OMINIS_FREESWITCH_NODES},
 *                             {@code name=http://user:pass@host:8080,…}); empty when none
 * @param queueOwners          which node runs each queue ({@code OMINIS_FREESWITCH_QUEUE_OWNERS},
 *                             {@code queue@domain=node,…}); with one node, that node owns every queue
 * @param aclReloadWindow      ACL changes within this window cause one {@code reloadacl} per node
 *                             ({@code OMINIS_ACL_RELOAD_WINDOW_MS}, default 1000)
 * @param secretKey            AES-256 key sealing secrets stored by the API, such as IVRs' OpenAI keys
 *                             ({@code OMINIS_SECRET_KEY}, 32 bytes as base64 or hex); null when unset
 * @param tts                  speech synthesis and the prompt cache ({@code OMINIS_TTS_*}, see ominis-tts)
 * @param ivrTargets           where {@code play_audio} and {@code http_api_call} options may reach
 *                             ({@code OMINIS_IVR_SOUND_ROOTS}, default the TTS directory and FreeSWITCH's sounds
 *                             directories; {@code OMINIS_IVR_HTTP_ALLOWED_URLS}, default none)
 * @param sipPasswords         what a SIP password set through the API must meet
 *                             ({@code OMINIS_SIP_PASSWORD_MIN_LENGTH}, {@code OMINIS_SIP_PASSWORD_MIN_CLASSES})
 * @param staleState           when a node counts as gone and how often nodes are probed
 *                             ({@code OMINIS_STALE_NODE_AFTER_MS}, {@code OMINIS_NODE_PROBE_INTERVAL_MS})
 */
public record ServerSettings(
        DatabaseSettings database,
        int port,
        String bindHost,
        boolean migrateOnStart,
        String xmlCurlUser,
        String xmlCurlPassword,
        List<Cidr> xmlCurlAllowedCidrs,
        Duration lookupTimeout,
        boolean directoryCache,
        int directoryCacheSize,
        int cacheableMillis,
        String userContext,
        String callcenterOdbcDsn,
        List<String> callcenterQueues,
        String apiToken,
        List<FreeSwitchNode> freeswitchNodes,
        Map<String, String> queueOwners,
        Duration aclReloadWindow,
        SecretKey secretKey,
        TtsSettings tts,
        IvrTargetPolicy ivrTargets,
        PasswordPolicy sipPasswords,
        StaleStateSettings staleState) {

    /** What {@code freeswitch-config} names the database in odbc.ini, as the DSN mod_callcenter must use. */
    public static final String DEFAULT_CALLCENTER_ODBC_DSN = "odbc://ominis";
    /** The levels {@code OMINIS_LOG_LEVEL} may name (case-insensitive), as logback knows them. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    /** FreeSWITCH's sounds directory in its Debian packages and in a source build's default prefix. */
    public static final List<Path> FREESWITCH_SOUND_DIRS = List.of(Path.of("/usr/share/freeswitch/sounds"),
            Path.of("/usr/local/freeswitch/sounds"));

    public ServerSettings {
        xmlCurlAllowedCidrs = List.copyOf(xmlCurlAllowedCidrs);
        callcenterQueues = List.copyOf(callcenterQueues);
        freeswitchNodes = List.copyOf(freeswitchNodes);
        queueOwners = Map.copyOf(queueOwners);
    }

    /**
     * Reads every setting.
     *
     * @throws ConfigurationException naming the first wrong setting
     */
    public static ServerSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        DatabaseSettings database = DatabaseSettings.fromEnvironment(environment);
        String user = env.string("OMINIS_XMLCURL_USER");
        String password = environment.get("OMINIS_XMLCURL_PASSWORD");
        if ((user == null) != (password == null || password.isEmpty())) {
            throw new ConfigurationException(user == null ? "OMINIS_XMLCURL_USER" : "OMINIS_XMLCURL_PASSWORD",
                    "set both OMINIS_XMLCURL_USER and OMINIS_XMLCURL_PASSWORD, or neither");
        }
        if (user != null && user.contains(":")) {
            throw new ConfigurationException("OMINIS_XMLCURL_USER", "must not contain ':' (HTTP Basic splits on it)");
        }
        List<Cidr> cidrs = new ArrayList<>();
        String cidrText = env.string("OMINIS_XMLCURL_ALLOWED_CIDRS");
        if (cidrText != null) {
            for (String part : cidrText.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    cidrs.add(Cidr.parse(part.strip()));
                } catch (InvalidValueException e) {
                    throw new ConfigurationException("OMINIS_XMLCURL_ALLOWED_CIDRS", e.reason());
                }
            }
        }
        String context = env.string("OMINIS_USER_CONTEXT", "default");
        if (!context.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigurationException("OMINIS_USER_CONTEXT", "must be a dialplan context name, got '" + context + "'");
        }
        List<String> queues = new ArrayList<>();
        String queueText = env.string("OMINIS_CALLCENTER_QUEUES");
        if (queueText != null) {
            for (String q : queueText.split(",")) {
                String name = q.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!io.ominis.core.ivr.IvrActionType.QUEUE_NAME.matcher(name).matches()) {
                    throw new ConfigurationException("OMINIS_CALLCENTER_QUEUES", "'" + name + "' is not a queue name");
                }
                queues.add(name);
            }
        }
        String callcenterDsn = env.string("OMINIS_CALLCENTER_ODBC_DSN", DEFAULT_CALLCENTER_ODBC_DSN);
        try {
            FreeSwitchDsn.parse("OMINIS_CALLCENTER_ODBC_DSN", callcenterDsn);
        } catch (InvalidValueException e) {
            throw new ConfigurationException("OMINIS_CALLCENTER_ODBC_DSN", e.reason());
        }
        String token = environment.get("OMINIS_API_TOKEN");
        if (token != null && !token.isEmpty() && token.length() < 16) {
            throw new ConfigurationException("OMINIS_API_TOKEN", "must be at least 16 characters");
        }
        List<FreeSwitchNode> nodes = env.has("OMINIS_FREESWITCH_NODES")
                ? FreeSwitchNode.parseAll(env.string("OMINIS_FREESWITCH_NODES")) : List.of();
        Map<String, String> owners = new java.util.LinkedHashMap<>();
        String ownerText = env.string("OMINIS_FREESWITCH_QUEUE_OWNERS");
        if (ownerText != null) {
            for (String pair : ownerText.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.lastIndexOf('=');
                String queue = eq < 0 ? "" : pair.substring(0, eq).strip();
                String node = eq < 0 ? "" : pair.substring(eq + 1).strip();
                if (!io.ominis.core.ivr.IvrActionType.QUEUE_NAME.matcher(queue).matches()
                        || nodes.stream().noneMatch(n -> n.name().equals(node))) {
                    throw new ConfigurationException("OMINIS_FREESWITCH_QUEUE_OWNERS",
                            "'" + pair.strip() + "' must be queue=node with a node named in OMINIS_FREESWITCH_NODES");
                }
                owners.put(queue, node);
            }
        }
        SecretKey secretKey = null;
        if (env.has("OMINIS_SECRET_KEY")) {
            try {
                secretKey = SecretBox.parseKey(env.string("OMINIS_SECRET_KEY"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("OMINIS_SECRET_KEY", e.getMessage());
            }
        }
        String logLevel = env.string("OMINIS_LOG_LEVEL");
        if (logLevel != null && !LOG_LEVELS.contains(logLevel.toUpperCase(java.util.Locale.ROOT))) {
            // logback would silently run at DEBUG
            throw new ConfigurationException("OMINIS_LOG_LEVEL", "must be one of " + LOG_LEVELS + ", got '"
                    + logLevel + "'");
        }
        String bind = env.string("OMINIS_BIND", "0.0.0.0");
        if (bind.isBlank() || !bind.matches("[A-Za-z0-9.:%_\\[\\]-]{1,255}")) {
            throw new ConfigurationException("OMINIS_BIND", "must be an address or host name, got '" + bind + "'");
        }
        TtsSettings tts = TtsSettings.fromEnvironment(environment);
        return new ServerSettings(
                database,
                env.integer("PORT", 8000, 0, 65535),
                bind,
                env.bool("OMINIS_MIGRATE_ON_START", true),
                user,
                password == null || password.isEmpty() ? null : password,
                cidrs,
                env.millis("OMINIS_XMLCURL_LOOKUP_TIMEOUT_MS", Duration.ofSeconds(2), Duration.ofMillis(50),
                        Duration.ofSeconds(30)),
                env.bool("OMINIS_DIRECTORY_CACHE", true),
                env.integer("OMINIS_DIRECTORY_CACHE_SIZE", 500_000, 100, 50_000_000),
                env.integer("OMINIS_DIRECTORY_CACHEABLE_MS", 0, 0, 86_400_000),
                context,
                callcenterDsn,
                queues,
                token == null || token.isEmpty() ? null : token,
                nodes,
                owners,
                env.millis("OMINIS_ACL_RELOAD_WINDOW_MS", Duration.ofSeconds(1), Duration.ZERO, Duration.ofMinutes(1)),
                secretKey,
                tts,
                ivrTargets(env, tts),
                PasswordPolicy.fromEnvironment(environment),
                StaleStateSettings.fromEnvironment(environment));
    }

    private static IvrTargetPolicy ivrTargets(SettingsReader env, TtsSettings tts) {
        List<Path> roots = new ArrayList<>();
        String rootText = env.string("OMINIS_IVR_SOUND_ROOTS");
        if (rootText == null) {
            roots.add(tts.directory().toAbsolutePath());
            roots.addAll(FREESWITCH_SOUND_DIRS);
        } else {
            for (String part : rootText.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    Path root = Path.of(part.strip());
                    if (!root.isAbsolute()) {
                        throw new ConfigurationException("OMINIS_IVR_SOUND_ROOTS",
                                "'" + part.strip() + "' must be an absolute directory");
                    }
                    roots.add(root);
                } catch (InvalidPathException e) {
                    throw new ConfigurationException("OMINIS_IVR_SOUND_ROOTS", "'" + part.strip() + "': " + e.getReason());
                }
            }
        }
        try {
            return new IvrTargetPolicy(roots, IvrTargetPolicy.parseUrls(env.string("OMINIS_IVR_HTTP_ALLOWED_URLS")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("OMINIS_IVR_HTTP_ALLOWED_URLS", e.getMessage());
        }
    }

    /**
     * Checks that {@link #bindHost()} is an address of this host, by binding an ephemeral port on it: run before
     * migrating, so that a typo stops start-up with one line instead of Jetty's "Port already in use" afterwards.
     *
     * @throws ConfigurationException naming {@code OMINIS_BIND}
     */
    public void checkBindAddress() {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(bindHost);
        } catch (java.net.UnknownHostException e) {
            throw new ConfigurationException("OMINIS_BIND", "'" + bindHost + "' does not resolve");
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(address, 0));
        } catch (java.io.IOException e) {
            throw new ConfigurationException("OMINIS_BIND", "'" + bindHost + "' is not an address of this host ("
                    + e.getMessage() + ")");
        }
    }

    /** Whether FreeSWITCH must present HTTP Basic credentials. */
    public boolean xmlCurlCredentialsConfigured() {
        return xmlCurlUser != null;
    }

    @Override
    public String toString() {
        return "ServerSettings[database=" + database.describe() + ", port=" + port + ", bindHost=" + bindHost
                + ", migrateOnStart=" + migrateOnStart + ", xmlCurlUser=" + xmlCurlUser + ", xmlCurlPassword="
                + (xmlCurlPassword == null ? "none" : "****") + ", xmlCurlAllowedCidrs=" + xmlCurlAllowedCidrs
                + ", lookupTimeout=" + lookupTimeout + ", directoryCache=" + directoryCache + ", cacheableMillis="
                + cacheableMillis + ", userContext=" + userContext + ", callcenterQueues=" + callcenterQueues
                + ", apiToken=" + (apiToken == null ? "none" : "****") + ", freeswitchNodes=" + freeswitchNodes
                + ", queueOwners=" + queueOwners + ", secretKey="
                + (secretKey == null ? "none" : "****") + "]";
    }
}

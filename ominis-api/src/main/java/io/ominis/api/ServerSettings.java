package io.ominis.api;

import io.ominis.core.ConfigurationException;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.config.StaleStateSettings;
import io.ominis.core.config.SettingsReader;
import io.ominis.db.secrets.SecretBox;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.core.ivr.IvrTargetPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.directory.XmlCurlSettings;
import java.util.Objects;
import io.ominis.tts.TtsSettings;
import javax.crypto.SecretKey;

/**
 * Everything {@code serve} reads from the environment, validated at once so that a wrong setting stops start-up with
 * one line naming it. Secrets are kept here but never appear in {@link #toString()}.
 *
 * @param port                 HTTP port ({@code PORT}, default 8000)
 * @param bindHost             address to listen on ({@code OMINIS_BIND}, default 0.0.0.0)
 * @param migrateOnStart       apply migrations before serving ({@code OMINIS_MIGRATE_ON_START}, default true)
 * @param xmlCurl              the mod_xml_curl service: who may ask, lookup bound, caches, callcenter.conf
 *                             ({@code OMINIS_XMLCURL_*}, {@code OMINIS_DIRECTORY_*}, see {@link XmlCurlSettings})
 * @param apiToken             bearer token for the management API ({@code OMINIS_API_TOKEN})
 * @param freeSwitch           FreeSWITCH nodes steered over XML-RPC ({@code OMINIS_FREESWITCH_NODES},
 *                             {@code OMINIS_FREESWITCH_QUEUE_OWNERS}, {@code OMINIS_ACL_RELOAD_WINDOW_MS})
 * @param secretKey            AES-256 key sealing secrets stored by the API, such as IVRs' OpenAI keys
 *                             ({@code OMINIS_SECRET_KEY}, 32 bytes as base64 or hex); null when unset
 * @param tts                  speech synthesis and the prompt cache ({@code OMINIS_TTS_*}, see ominis-tts)
 * @param ivrTargets           where {@code play_audio} and {@code http_api_call} options may reach
 *                             ({@code OMINIS_IVR_SOUND_ROOTS}, default the TTS directory and FreeSWITCH's sounds
 *                             directories; {@code OMINIS_IVR_HTTP_ALLOWED_URLS}, default none)
 * @param sipPasswords         what a SIP password set through the API must meet
 *                             ({@code OMINIS_SIP_PASSWORD_MIN_LENGTH}, {@code OMINIS_SIP_PASSWORD_MIN_CLASSES})
 * @param http                 the HTTP server's bulkheads and body deadline ({@code OMINIS_HTTP_*}, see
 *                             {@link io.ominis.api.http.HttpLimits})
 * @param staleState           when a node counts as gone and how often nodes are probed
 *                             ({@code OMINIS_STALE_NODE_AFTER_MS}, {@code OMINIS_NODE_PROBE_INTERVAL_MS})
 * @param readReplica          where reads that may trail the primary go ({@code OMINIS_DB_READ_*}), or null to read
 *                             everything from the primary
 * @param channelMirror        how often the in-memory copy of {@code channels} that answers the channel routes is
 *                             read again whole ({@code OMINIS_CHANNEL_MIRROR_RELOAD_MS}, 1000 to 3600000, default
 *                             10000), or null to read the table on every request ({@code OMINIS_CHANNEL_MIRROR=false})
 */
public record ServerSettings(
        DatabaseSettings database,
        int port,
        String bindHost,
        boolean migrateOnStart,
        XmlCurlSettings xmlCurl,
        String apiToken,
        FreeSwitchNodes.Settings freeSwitch,
        SecretKey secretKey,
        TtsSettings tts,
        IvrTargetPolicy ivrTargets,
        PasswordPolicy sipPasswords,
        io.ominis.api.http.HttpLimits http,
        StaleStateSettings staleState,
        io.ominis.core.config.ReadReplicaSettings readReplica,
        java.time.Duration channelMirror) {

    /** The levels {@code OMINIS_LOG_LEVEL} may name (case-insensitive), as logback knows them. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    /** FreeSWITCH's sounds directory in its Debian packages and in a source build's default prefix. */
    public static final List<Path> FREESWITCH_SOUND_DIRS = List.of(Path.of("/usr/share/freeswitch/sounds"),
            Path.of("/usr/local/freeswitch/sounds"));

    /**
     * Checks every field, with the messages of {@link #fromEnvironment}.
     *
     * @throws ConfigurationException naming the environment variable of the first wrong field
     */
    public ServerSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(xmlCurl, "xmlCurl");
        Objects.requireNonNull(freeSwitch, "freeSwitch");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(ivrTargets, "ivrTargets");
        Objects.requireNonNull(sipPasswords, "sipPasswords");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(staleState, "staleState");
        SettingsReader.requireRange("PORT", port, 0, 65535);
        if (bindHost == null || !bindHost.matches("[A-Za-z0-9.:%_\\[\\]-]{1,255}")) {
            throw new ConfigurationException("OMINIS_BIND", "must be an address or host name, got '" + bindHost + "'");
        }
        if (secretKey != null && (!"AES".equals(secretKey.getAlgorithm()) || secretKey.getEncoded() == null
                || secretKey.getEncoded().length != 32)) {
            throw new ConfigurationException("OMINIS_SECRET_KEY", "must be a 32-byte AES key");
        }
        if (channelMirror != null && (channelMirror.toMillis() < 1_000 || channelMirror.toMillis() > 3_600_000)) {
            throw new ConfigurationException("OMINIS_CHANNEL_MIRROR_RELOAD_MS", "must be between 1000 and 3600000, got "
                    + channelMirror.toMillis());
        }
        apiToken = apiToken == null || apiToken.isEmpty() ? null : apiToken;
        if (apiToken != null && apiToken.length() < 16) {
            throw new ConfigurationException("OMINIS_API_TOKEN", "must be at least 16 characters");
        }
    }

    /**
     * Maps the environment to the settings; each part checks itself.
     *
     * @throws ConfigurationException naming the first wrong setting
     */
    public static ServerSettings fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        DatabaseSettings database = DatabaseSettings.fromEnvironment(environment);
        XmlCurlSettings xmlCurl = XmlCurlSettings.fromEnvironment(environment);
        String token = environment.get("OMINIS_API_TOKEN");
        FreeSwitchNodes.Settings freeSwitch = FreeSwitchNodes.Settings.fromEnvironment(environment,
                xmlCurl.cacheableMillis() > 0);
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
        TtsSettings tts = TtsSettings.fromEnvironment(environment);
        return new ServerSettings(database, env.integer("PORT", 8000, 0, 65535), env.string("OMINIS_BIND", "0.0.0.0"),
                env.bool("OMINIS_MIGRATE_ON_START", true), xmlCurl, token, freeSwitch, secretKey, tts,
                ivrTargets(env, tts), PasswordPolicy.fromEnvironment(environment),
                io.ominis.api.http.HttpLimits.fromEnvironment(environment, database.poolSize()),
                StaleStateSettings.fromEnvironment(environment),
                io.ominis.core.config.ReadReplicaSettings.fromEnvironment(environment, database).orElse(null),
                env.bool("OMINIS_CHANNEL_MIRROR", true)
                        ? java.time.Duration.ofMillis(env.integer("OMINIS_CHANNEL_MIRROR_RELOAD_MS", 10_000, 1_000,
                                3_600_000))
                        : null);
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
                    roots.add(Path.of(part.strip()));
                } catch (InvalidPathException e) {
                    throw new ConfigurationException("OMINIS_IVR_SOUND_ROOTS", "'" + part.strip() + "': " + e.getReason());
                }
            }
        }
        return new IvrTargetPolicy(roots, IvrTargetPolicy.parseUrls(env.string("OMINIS_IVR_HTTP_ALLOWED_URLS")));
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

    @Override
    public String toString() {
        return "ServerSettings[database=" + database.describe() + ", port=" + port + ", bindHost=" + bindHost
                + ", migrateOnStart=" + migrateOnStart + ", xmlCurl=" + xmlCurl + ", apiToken="
                + (apiToken == null ? "none" : "****") + ", freeSwitch=" + freeSwitch + ", secretKey="
                + (secretKey == null ? "none" : "****") + "]";
    }
}

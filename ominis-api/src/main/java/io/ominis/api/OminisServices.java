package io.ominis.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.OminisException;
import io.ominis.db.ChangeListener;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.Migrations;
import io.ominis.db.secrets.IvrApiKeys;
import io.ominis.directory.XmlCurlAccess;
import io.ominis.directory.XmlCurlService;
import io.ominis.api.rest.JsonBodies;
import io.ominis.api.metrics.ServerMetrics;
import io.ominis.tts.OpenAiSpeechProvider;
import io.ominis.tts.PromptCache;
import io.ominis.tts.PromptWarmer;
import io.ominis.xmlcurl.Prompt;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.xmlrpc.SwitchControl;
import java.nio.file.Path;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library services one Ominis instance runs over a data source it does not own: the data layer, the mod_xml_curl
 * service, the prompt cache and warmer, the key sealing, the change listener feeding the caches, and the FreeSWITCH
 * nodes. {@link OminisApi#install} serves them over HTTP; {@link OminisServer} is that plus a listening Jetty.
 */
public final class OminisServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OminisServices.class);

    private final ServerSettings settings;
    private final ObjectMapper mapper = JsonBodies.apiMapper();
    private final ServerMetrics metrics = new ServerMetrics();
    private final Database db;
    private final XmlCurlService xmlCurl;
    private final XmlCurlAccess access;
    private final IvrApiKeys ivrKeys;
    private final PromptCache prompts;
    private final PromptWarmer warmer;
    private final ChangeListener listener;
    private final io.ominis.db.ChannelMirror channelMirror;
    private final SwitchControl switchControl;
    private final io.ominis.api.cluster.ClusterRole role;
    private final io.ominis.db.StaleStateDao staleState;
    private final io.ominis.api.metrics.StaleStateMeters staleMeters;
    private final io.ominis.api.freeswitch.NodeWatch nodeWatch;
    private final com.zaxxer.hikari.HikariDataSource readPool;
    private final io.ominis.db.ReplicaReads reads;
    private volatile boolean migrated;

    private OminisServices(ServerSettings settings, DataSource dataSource, SwitchControl switchControl) {
        this.settings = settings;
        this.switchControl = switchControl;
        this.db = Database.create(dataSource, mapper, metrics, settings.secretKey());
        metrics.bindPool(dataSource);
        // reads that may trail the primary by a moment go to the read replicas while their lag allows
        if (settings.readReplica() != null) {
            this.readPool = io.ominis.db.ReplicaReads.openPool(settings.readReplica());
            metrics.bindPool(readPool);
            this.reads = io.ominis.db.ReplicaReads.start(db,
                    Database.create(readPool, mapper, metrics, settings.secretKey()), settings.readReplica());
            LOG.info("reads of live state, CDRs and statistics go to {} while its lag is within {} ms",
                    settings.readReplica().database().describe(), settings.readReplica().maxLag().toMillis());
        } else {
            this.readPool = null;
            this.reads = io.ominis.db.ReplicaReads.primaryOnly(db);
        }
        metrics.bindReads(reads);
        this.prompts = PromptCache.builder().database(db).settings(settings.tts())
                .provider(OpenAiSpeechProvider.create(settings.tts())).build();
        // one lookup thread per pooled connection: a lookup holds its thread only while it queries, and more threads
        // than connections would only wait in the pool for one
        this.xmlCurl = XmlCurlService.builder().database(db).settings(settings.xmlCurl())
                .lookupThreads(settings.database().poolSize()).ivrTargets(settings.ivrTargets())
                .promptAudio(this::cachedAudio).onDomainSeen(switchControl::directoryDomainSeen).build();
        this.access = new XmlCurlAccess(settings.xmlCurl());
        this.ivrKeys = db.ivrKeys();
        this.warmer = new PromptWarmer(prompts, db.ivrs(), ivrKeys);
        this.role = io.ominis.api.cluster.ClusterRole.start(() -> ConnectionPool.connect(settings.database()),
                metrics.registry());
        // one LISTEN connection serves the directory cache and the prompt warmer; every replica hears every change,
        // so only the leader warms (warming is for the cluster: the prompts are shared)
        this.listener = ChangeListener.start(() -> ConnectionPool.connect(settings.database()), change -> {
            xmlCurl.onChange(change);
            if (role.leads()) {
                warmer.onChange(change);
            }
        }, xmlCurl::flush);
        // the channel routes answer from memory: FreeSWITCH's writes to channels arrive as notifications (V14)
        this.channelMirror = settings.channelMirror() == null ? null : io.ominis.db.ChannelMirror.start(db,
                () -> ConnectionPool.connect(settings.database()), settings.channelMirror());
        this.migrated = Migrations.isCurrent(dataSource);
        metrics.bindDirectory(xmlCurl.directory(), listener);
        if (channelMirror != null) {
            metrics.bindChannelMirror(channelMirror);
        }
        metrics.bindPrompts(prompts::stats);
        metrics.bindLiveFigures(db.liveFigures());
        if (switchControl instanceof FreeSwitchNodes nodes) {
            metrics.bindFreeSwitch(nodes::health);
        }
        // stale-state repair judges nodes by the sightings every replica records
        io.ominis.db.NodeSightings sightings = new io.ominis.db.NodeSightings(dataSource);
        this.staleState = new io.ominis.db.StaleStateDao(dataSource, sightings);
        this.staleMeters = new io.ominis.api.metrics.StaleStateMeters(metrics.registry());
        this.nodeWatch = switchControl instanceof FreeSwitchNodes watched
                ? new io.ominis.api.freeswitch.NodeWatch(watched.cluster(), sightings)
                        .start(settings.staleState().probeEvery())
                : null;
    }

    /**
     * Adds the domains of {@code OMINIS_DOMAINS} that are not served yet (never removing any), and returns what the
     * start-up log should say about served domains and the SIP password storage.
     */
    public java.util.List<String> seedDomains() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        java.util.List<String> added = db.domains().ensure(settings.xmlCurl().domains());
        if (!added.isEmpty()) {
            xmlCurl.domainsChanged();
            lines.add("added served domain(s) " + added + " from OMINIS_DOMAINS");
        }
        java.util.List<String> served = db.domains().names();
        lines.add(served.isEmpty() ? "serving every directory domain (none configured: POST /v1/domains)"
                : "serving directory domain(s) " + served);
        if (settings.xmlCurl().passwordStorage() == io.ominis.core.directory.SipPasswordStorage.A1_HASH) {
            lines.add(served.isEmpty()
                    ? "SIP passwords: a1-hash storage but no domain is served, so no password can be set; add one"
                    : "SIP passwords: a1-hash storage; stored plain passwords are served as hashes until"
                            + " 'hash-sip-passwords' replaces them");
        }
        return lines;
    }

    /** Finding and repairing rows of FreeSWITCH nodes gone for good. */
    public io.ominis.db.StaleStateDao staleState() {
        return staleState;
    }

    /** What stale-state finding and repair counted, for {@code /metrics}. */
    public io.ominis.api.metrics.StaleStateMeters staleMeters() {
        return staleMeters;
    }

    /** The services over {@code dataSource}, steering FreeSWITCH through {@code switchControl}. */
    public static OminisServices create(ServerSettings settings, DataSource dataSource, SwitchControl switchControl) {
        return new OminisServices(settings, dataSource, switchControl);
    }

    /** This replica's role in the cluster of servers on its database (leadership of background work). */
    public io.ominis.api.cluster.ClusterRole clusterRole() {
        return role;
    }

    /** The settings in use. */
    public ServerSettings settings() {
        return settings;
    }

    /** The JSON mapper of the API (snake_case, ISO dates). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The metrics registry behind {@code /metrics}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The data layer. */
    public Database database() {
        return db;
    }

    /**
     * Reads that may trail the primary by a moment: live state, CDRs and statistics, the queue live view, and
     * whatever an operator console shows. On the read replicas ({@code OMINIS_DB_READ_DSN}) while their lag is
     * within bound, else on the primary; never use it for a write or for a read that must see the caller's own
     * write (use {@link #database()}).
     */
    public io.ominis.db.ReplicaReads reads() {
        return reads;
    }

    /** The mod_xml_curl service. */
    public XmlCurlService xmlCurl() {
        return xmlCurl;
    }

    /** Who may ask the FreeSWITCH-facing endpoints. */
    public XmlCurlAccess xmlCurlAccess() {
        return access;
    }

    /** How IVRs' OpenAI keys are sealed. */
    public IvrApiKeys ivrKeys() {
        return ivrKeys;
    }

    /** The prompt cache. */
    public PromptCache prompts() {
        return prompts;
    }

    /** The prompt warmer. */
    public PromptWarmer warmer() {
        return warmer;
    }

    /** The change listener. */
    public ChangeListener changeListener() {
        return listener;
    }

    /** The in-memory copy of {@code channels} behind the channel routes, or null when it is switched off. */
    public io.ominis.db.ChannelMirror channelMirror() {
        return channelMirror;
    }

    /** The FreeSWITCH nodes, or {@link SwitchControl#NONE}. */
    public SwitchControl switchControl() {
        return switchControl;
    }

    /** Whether the schema was current when last checked. */
    public boolean migrated() {
        return migrated;
    }

    /** Re-reads whether the schema is current, after migrations ran elsewhere. */
    public void recheckMigrations() {
        migrated = Migrations.isCurrent(db.dataSource());
    }

    /**
     * The cached WAV file for a prompt, if synthesized; otherwise FreeSWITCH speaks it with {@code say:}, so a menu
     * always works, also while the database is away.
     */
    private Optional<String> cachedAudio(Prompt prompt) {
        try {
            return prompts.lookup(prompt.text(), prompt.language(), prompt.voice(), prompt.model()).map(Path::toString);
        } catch (OminisException e) {
            LOG.debug("prompt cache lookup failed, falling back to say: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (nodeWatch != null) {
            nodeWatch.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (channelMirror != null) {
            channelMirror.close();
        }
        role.close();
        reads.close();
        if (readPool != null) {
            readPool.close();
        }
        warmer.close();
        prompts.close();
        metrics.close();
        xmlCurl.close();
    }
}

package io.ominis.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.db.internal.JsonColumns;
import io.ominis.db.internal.TimedQueries;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * Entry point of the data layer: one per {@link DataSource}, holding a DAO per table. Thread-safe; create it once and
 * share it. The schema must already be migrated ({@link Migrations#migrate}).
 *
 * <pre>{@code
 * Database db = Database.create(ConnectionPool.open(settings));
 * db.extensions().create(Extension.of("1001", "s3cret"));
 * }</pre>
 */
public final class Database {

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final ExtensionDao extensions;
    private final DomainDao domains;
    private final IvrDao ivrs;
    private final IvrMenuDao ivrMenus;
    private final IvrMenuOptionDao ivrMenuOptions;
    private final TtsCacheDao ttsCache;
    private final AclDao acl;
    private final ChannelDao channels;
    private final CallDao calls;
    private final RegistrationDao registrations;
    private final SwitchStateDao switchState;
    private final AgentDao agents;
    private final TierDao tiers;
    private final MemberDao members;
    private final QueueDao queues;
    private final CdrDao cdr;
    private final CdrStatistics cdrStatistics;
    private final LiveFigures liveFigures;

    private final io.ominis.db.secrets.IvrApiKeys ivrKeys;

    private Database(DataSource dataSource, ObjectMapper mapper, QueryObserver observer,
            io.ominis.db.secrets.IvrApiKeys ivrKeys) {
        this.ivrKeys = ivrKeys;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        if (observer != QueryObserver.NONE) {
            jdbi.getConfig(SqlStatements.class).setSqlLogger(new TimedQueries(observer));
        }
        JsonColumns json = new JsonColumns(mapper);
        JdbcReads reads = new JdbcReads(dataSource, observer);
        this.extensions = new ExtensionDao(jdbi, json, reads);
        this.domains = new DomainDao(jdbi);
        this.ivrs = new IvrDao(jdbi, json, ivrKeys);
        this.ivrMenus = new IvrMenuDao(jdbi);
        this.ivrMenuOptions = new IvrMenuOptionDao(jdbi, json);
        this.ttsCache = new TtsCacheDao(jdbi);
        this.acl = new AclDao(jdbi);
        this.channels = new ChannelDao(reads);
        this.calls = new CallDao(jdbi);
        this.registrations = new RegistrationDao(jdbi);
        this.switchState = new SwitchStateDao(jdbi);
        this.agents = new AgentDao(jdbi);
        this.tiers = new TierDao(jdbi);
        this.members = new MemberDao(jdbi);
        this.queues = new QueueDao(jdbi, tiers);
        this.cdr = new CdrDao(jdbi);
        this.cdrStatistics = new CdrStatistics(jdbi);
        this.liveFigures = new LiveFigures(reads, java.time.Clock.systemDefaultZone());
    }

    /** A data layer over {@code dataSource}, with a default Jackson mapper for JSONB columns. */
    public static Database create(DataSource dataSource) {
        return create(dataSource, new ObjectMapper());
    }

    /** A data layer over {@code dataSource} using {@code mapper} for JSONB columns. */
    public static Database create(DataSource dataSource, ObjectMapper mapper) {
        return create(dataSource, mapper, QueryObserver.NONE);
    }

    /** A data layer that reports every query's duration, by DAO method, to {@code observer}. */
    public static Database create(DataSource dataSource, ObjectMapper mapper, QueryObserver observer) {
        return create(dataSource, mapper, observer, null);
    }

    /**
     * A data layer whose {@link #ivrs()} seals IVRs' OpenAI keys under {@code secretKey} ({@code OMINIS_SECRET_KEY}):
     * a plain key written through {@link IvrDao} is stored sealed, and {@link IvrDao#apiKey} opens it, exactly as
     * the server does. With a null key, keys are stored as given.
     */
    public static Database create(DataSource dataSource, ObjectMapper mapper, QueryObserver observer,
            javax.crypto.SecretKey secretKey) {
        return new Database(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(mapper, "mapper"),
                Objects.requireNonNull(observer, "observer"), io.ominis.db.secrets.IvrApiKeys.of(secretKey));
    }

    /** How this data layer seals IVRs' OpenAI keys. */
    public io.ominis.db.secrets.IvrApiKeys ivrKeys() {
        return ivrKeys;
    }

    /** The data source this layer uses. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one transaction: every DAO of this database called from inside it, on this thread, shares
     * the transaction's connection, so the writes commit together when {@code work} returns and none commits when it
     * throws. Failures come out translated, as from the DAOs ({@link io.ominis.core.AlreadyExistsException},
     * {@link io.ominis.core.InvalidValueException}, …). Nested calls join the outer transaction. Live-state reads
     * ({@code channels()}, {@code calls()}, {@code registrations()}) go around Jdbi for speed and read outside it.
     *
     * <pre>{@code
     * db.inTransaction(tx -> {
     *     tx.ivrs().create(ivr);
     *     tx.ivrMenus().create(menu);
     *     return null;
     * });
     * }</pre>
     */
    public <T> T inTransaction(java.util.function.Function<Database, T> work) {
        Objects.requireNonNull(work, "work");
        return io.ominis.db.internal.SqlErrors.guard(() -> jdbi.inTransaction(h -> work.apply(this)));
    }

    /** {@link #inTransaction} for work without a result. */
    public void useTransaction(java.util.function.Consumer<Database> work) {
        Objects.requireNonNull(work, "work");
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * The underlying Jdbi, for queries Ominis does not offer. Exceptions thrown through it are not translated.
     */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** SIP users ({@code extensions}). */
    public ExtensionDao extensions() {
        return extensions;
    }

    /** The directory domains served ({@code domains}). */
    public DomainDao domains() {
        return domains;
    }

    /** IVR instances ({@code ivrs}), and whole IVR definitions with their menus and options. */
    public IvrDao ivrs() {
        return ivrs;
    }

    /** Menus of IVRs ({@code ivr_menus}). */
    public IvrMenuDao ivrMenus() {
        return ivrMenus;
    }

    /** Digit bindings of IVR menus ({@code ivr_menu_options}). */
    public IvrMenuOptionDao ivrMenuOptions() {
        return ivrMenuOptions;
    }

    /** The synthesized-prompt cache ({@code ivr_tts_cache}). */
    public TtsCacheDao ttsCache() {
        return ttsCache;
    }

    /** IP access-control lists ({@code acl_entries}). */
    public AclDao acl() {
        return acl;
    }

    /** FreeSWITCH's live call legs ({@code channels}); read-only. */
    public ChannelDao channels() {
        return channels;
    }

    /** FreeSWITCH's bridges ({@code calls}) and the {@code detailed_calls}/{@code basic_calls} views; read-only. */
    public CallDao calls() {
        return calls;
    }

    /** SIP registrations as mod_sofia writes them ({@code registrations}); read-only. */
    public RegistrationDao registrations() {
        return registrations;
    }

    /** FreeSWITCH's bookkeeping tables (recovery, complete, aliases, tasks, nat, interfaces); read-only. */
    public SwitchStateDao switchState() {
        return switchState;
    }

    /** mod_callcenter agents ({@code agents}); read-only. */
    public AgentDao agents() {
        return agents;
    }

    /** mod_callcenter tiers ({@code tiers}); read-only. */
    public TierDao tiers() {
        return tiers;
    }

    /** mod_callcenter queue callers ({@code members}); read-only. */
    public MemberDao members() {
        return members;
    }

    /** Our queue definitions ({@code callcenter_queues}), served as {@code callcenter.conf}. */
    public QueueDao queues() {
        return queues;
    }

    /** What is happening in a queue now and today: waiting callers, agents, answered and abandoned calls. */
    public QueueActivity queueActivity() {
        return new QueueActivity(jdbi, cdrStatistics());
    }

    /** Call detail records ({@code cdr}), written by mod_odbc_cdr. */
    public CdrDao cdr() {
        return cdr;
    }

    /** Per-queue, per-agent, per-cause and per-hour/day figures over a bounded window of {@code cdr}. */
    public CdrStatistics cdrStatistics() {
        return cdrStatistics;
    }

    /** The call center's figures at a glance, for a background metrics collector. */
    public LiveFigures liveFigures() {
        return liveFigures;
    }
}

package io.ominis.directory;

import io.ominis.core.OminisException;
import io.ominis.core.directory.SipPasswordStorage;
import io.ominis.core.directory.SipUser;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrTargetPolicy;
import io.ominis.db.ChangeListener;
import io.ominis.db.Database;
import io.ominis.xmlcurl.AclRenderer;
import io.ominis.xmlcurl.CallcenterRenderer;
import io.ominis.xmlcurl.CallcenterSettings;
import io.ominis.xmlcurl.DirectoryOptions;
import io.ominis.xmlcurl.DirectoryRenderer;
import io.ominis.xmlcurl.IvrOptions;
import io.ominis.xmlcurl.IvrRenderer;
import io.ominis.xmlcurl.Lookup;
import io.ominis.xmlcurl.NotFoundDocument;
import io.ominis.xmlcurl.NotFoundReason;
import io.ominis.xmlcurl.Prompt;
import io.ominis.xmlcurl.QueueDefinition;
import io.ominis.xmlcurl.XmlCurlRequest;
import io.ominis.xmlcurl.XmlDocument;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What mod_xml_curl asks, answered from the database: {@link #answer} turns FreeSWITCH's request into the document to
 * send back (a directory user, {@code acl.conf}, {@code ivr.conf}, {@code callcenter.conf}, or the not-found document
 * that makes FreeSWITCH try its next source). It never throws for a failed lookup and never waits for the database
 * longer than {@link XmlCurlSettings#lookupTimeout()}; directory answers are cached until a change notification (see
 * {@link #onChange}) drops them. Framework-neutral: any HTTP server hands it the form and writes the bytes back.
 */
public final class XmlCurlService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XmlCurlService.class);

    private final XmlCurlSettings settings;
    private final Database db;
    private final ThreadPoolExecutor lookups;
    private final DirectoryService directory;
    private final ServedDomains servedDomains;
    private final DirectoryRenderer directoryRenderer;
    private final NotFoundDocument notFound = new NotFoundDocument();
    private final AclRenderer aclRenderer = new AclRenderer();
    private final IvrRenderer ivrRenderer;
    private final CallcenterRenderer callcenterRenderer = new CallcenterRenderer();
    private final Consumer<String> domainSeen;

    private XmlCurlService(Builder b) {
        this.settings = b.settings;
        this.db = Objects.requireNonNull(b.database, "database");
        this.lookups = boundedExecutor(b.lookupThreads);
        this.directory = new DirectoryService(db.extensions(), settings.lookupTimeout(),
                settings.cache() ? settings.cacheSize() : 0, settings.cacheRenderedMegabytes() * 1024L * 1024L, lookups);
        this.servedDomains = new ServedDomains(db.domains(), settings.lookupTimeout(), lookups);
        // in the a1-hash storage a password still stored (not migrated yet) reaches FreeSWITCH only as a hash too
        this.directoryRenderer = new DirectoryRenderer(new DirectoryOptions(settings.userContext(),
                settings.passwordStorage() == SipPasswordStorage.A1_HASH ? DirectoryOptions.PasswordMode.A1_HASH
                        : DirectoryOptions.PasswordMode.PLAIN));
        this.ivrRenderer = new IvrRenderer(IvrOptions.defaults(), b.ivrTargets, b.promptAudio);
        this.domainSeen = b.domainSeen;
    }

    /** A builder; only {@link Builder#database} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The answer to an {@code application/x-www-form-urlencoded} body or query string as mod_xml_curl sends it. */
    public XmlDocument answer(String form) {
        return answer(XmlCurlRequest.parse(form));
    }

    /** The answer to {@code request}; a lookup that fails is answered with the not-found document and logged. */
    public XmlDocument answer(XmlCurlRequest request) {
        try {
            return answer(request.lookup());
        } catch (OminisException e) {
            return lookupFailed(request, e);
        }
    }

    /** Whatever failed, FreeSWITCH must get a usable answer: not found makes it try its next source. */
    private XmlDocument lookupFailed(XmlCurlRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (!(cause instanceof OminisException)) {
            LOG.error("xml_curl {} {} answered not found after an unexpected failure", request.sectionName(),
                    request.keyValue(), cause);
        } else {
            LOG.warn("xml_curl {} {} answered not found: {}", request.sectionName(), request.keyValue(),
                    cause.getMessage());
        }
        return notFound.render(NotFoundReason.LOOKUP_FAILED);
    }

    /**
     * The answer to {@code request} without blocking the caller, as {@link #answer(XmlCurlRequest)} would give it: at
     * once when it is in memory (a cached directory user, a request that needs no lookup), a directory user that needs
     * the database once it answers, on the lookup threads (and at the lookup bound at the latest), and any other
     * lookup ({@code acl.conf}, {@code ivr.conf}, {@code callcenter.conf}) run on {@code blocking}. So a server can
     * answer FreeSWITCH's repeated lookups on the thread that read them, and no thread waits for the database.
     *
     * @throws java.util.concurrent.RejectedExecutionException when {@code blocking} refuses the lookup
     */
    public CompletableFuture<XmlDocument> answerAsync(XmlCurlRequest request, Executor blocking) {
        try {
            Lookup lookup = request.lookup();
            if (lookup instanceof Lookup.DirectoryUser user) {
                XmlDocument now = directoryUser(user, true);
                return now != null ? CompletableFuture.completedFuture(now)
                        : directoryUserAsync(user).exceptionally(failure -> lookupFailed(request, failure));
            }
            if (lookup instanceof Lookup.Unserved unserved) {
                return CompletableFuture.completedFuture(notFound.render(unserved.reason()));
            }
        } catch (OminisException e) {
            return CompletableFuture.completedFuture(lookupFailed(request, e));
        }
        return CompletableFuture.supplyAsync(() -> answer(request), blocking);
    }

    /** The not-found document for {@code reason}, e.g. for a request refused before it was read. */
    public XmlDocument notFound(NotFoundReason reason) {
        return notFound.render(reason);
    }

    private XmlDocument answer(Lookup lookup) {
        if (lookup instanceof Lookup.DirectoryUser user) {
            return directoryUser(user, false);
        }
        if (lookup instanceof Lookup.AclConf) {
            return aclRenderer.render(db.acl().list());
        }
        if (lookup instanceof Lookup.IvrConf ivr) {
            return ivrConf(ivr);
        }
        if (lookup instanceof Lookup.CallcenterConf cc) {
            return callcenterConf(cc);
        }
        return notFound.render(((Lookup.Unserved) lookup).reason());
    }

    /** The answer for {@code user}; with {@code memoryOnly}, {@code null} where it would have to ask the database. */
    private XmlDocument directoryUser(Lookup.DirectoryUser user, boolean memoryOnly) {
        // the digest realm is where the credentials apply (and what an a1-hash covers), so it must be served too
        ServedDomains.Verdict verdict = memoryOnly ? servedDomains.judgeCached(user.domain(), user.realm())
                : servedDomains.judge(user.domain(), user.realm());
        if (verdict == null) {
            return null;
        }
        if (verdict != ServedDomains.Verdict.SERVED) {
            return notServed(user, verdict);
        }
        DirectoryService.Result result = memoryOnly ? directory.findCached(user.user()) : directory.find(user.user());
        return result == null ? null : directoryAnswer(user, result);
    }

    /** {@link #directoryUser} without blocking: the lookups that need the database complete on the lookup threads. */
    private CompletableFuture<XmlDocument> directoryUserAsync(Lookup.DirectoryUser user) {
        return servedDomains.judgeAsync(user.domain(), user.realm()).thenCompose(verdict ->
                verdict != ServedDomains.Verdict.SERVED ? CompletableFuture.completedFuture(notServed(user, verdict))
                        : directory.findAsync(user.user()).thenApply(result -> directoryAnswer(user, result)));
    }

    /** The answer for a domain not served, or whose served domains could not be read. */
    private XmlDocument notServed(Lookup.DirectoryUser user, ServedDomains.Verdict verdict) {
        if (verdict != ServedDomains.Verdict.UNSERVED) {
            LOG.warn("directory lookup of {}@{} unanswered: served domains not readable", user.user(), user.domain());
        }
        // a lookup that could not be made is counted as such, not as an unknown user (which is what scanners cause)
        return notFound.render(switch (verdict) {
            case UNSERVED -> NotFoundReason.UNSERVED_DOMAIN;
            case TIMED_OUT -> NotFoundReason.LOOKUP_TIMEOUT;
            default -> NotFoundReason.LOOKUP_FAILED;
        });
    }

    private XmlDocument directoryAnswer(Lookup.DirectoryUser user, DirectoryService.Result result) {
        if (result instanceof DirectoryService.Result.Found found) {
            long cacheable = cacheableMillis();
            if (cacheable > 0) {
                domainSeen.accept(user.domain());
            }
            if (found.memo() == null || cacheable > 0) {
                // Jittered per answer, so there is nothing to keep.
                return directoryRenderer.render(user, found.user(), cacheable);
            }
            // The document depends only on the extension (the memo's entry) and the lookup (user, domain, realm).
            return found.memo().get(user, () -> directoryRenderer.render(user, found.user(), 0));
        }
        if (result instanceof DirectoryService.Result.Unavailable unavailable) {
            LOG.warn("directory lookup of {} unanswered: {}", user.user(), unavailable.reason());
            return notFound.render(unavailable.timedOut() ? NotFoundReason.LOOKUP_TIMEOUT : NotFoundReason.LOOKUP_FAILED);
        }
        return notFound.render(NotFoundReason.UNKNOWN_USER);
    }

    /** FreeSWITCH-side caching, with ±10 % jitter so that users cached together do not all expire together. */
    private long cacheableMillis() {
        int base = settings.cacheableMillis();
        if (base <= 0) {
            return 0;
        }
        int jitter = Math.max(1, base / 10);
        return base - jitter + ThreadLocalRandom.current().nextInt(2 * jitter + 1);
    }

    private XmlDocument ivrConf(Lookup.IvrConf lookup) {
        Optional<IvrDefinition> definition = db.ivrs().load(lookup.ivrName());
        if (definition.isEmpty()) {
            return notFound.render(NotFoundReason.UNSUPPORTED_CONFIGURATION);
        }
        IvrDefinition d = definition.get();
        List<IvrMenuOption> options = d.options().values().stream().flatMap(List::stream).toList();
        // "sales" is the IVR's root menu, "sales/billing" that menu; each answers exactly the tree it names
        String menuName = lookup.menuName();
        int slash = menuName == null ? -1 : menuName.indexOf(IvrRenderer.MENU_SEPARATOR);
        String startMenu = slash < 0 ? null : menuName.substring(slash + 1);
        return ivrRenderer.render(d.ivr(), d.menus(), options, startMenu);
    }

    private XmlDocument callcenterConf(Lookup.CallcenterConf lookup) {
        // definitions, and with defaults every queue named in tiers, members, the setting or the request
        Set<String> also = new LinkedHashSet<>(settings.callcenterQueues());
        if (lookup.queue() != null) {
            also.add(lookup.queue());
        }
        List<QueueDefinition> queues = db.queues().served(also).stream().map(QueueDefinition::of).toList();
        return callcenterRenderer.render(CallcenterSettings.of(settings.callcenterOdbcDsn(), null), queues);
    }

    /** Applies one change notification (hand it every change a {@link ChangeListener} reports). */
    public void onChange(ChangeListener.Change change) {
        directory.onChange(change);
        servedDomains.onChange(change);
    }

    /** Drops every cached answer; call it when notifications may have been missed (a listener reconnect). */
    public void flush() {
        directory.flush();
        servedDomains.flush();
    }

    /** Drops the served domains at once, after this process committed a change to them. */
    public void domainsChanged() {
        servedDomains.flush();
    }

    /** Drops the cached answer for {@code number} at once, after this process committed a change to it. */
    public void invalidate(String number) {
        directory.invalidate(number);
    }

    /** The directory cache, for metrics. */
    public DirectoryService directory() {
        return directory;
    }

    /** The bounded pool database lookups run on, for health checks that must not wait behind a stalled database. */
    public ThreadPoolExecutor lookupExecutor() {
        return lookups;
    }

    /** The settings in use. */
    public XmlCurlSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }

    /**
     * Database lookups run here so that a request can stop waiting after its bound; the queue is bounded so that an
     * outage cannot pile up work without end (a rejected lookup is answered as unavailable).
     */
    private static ThreadPoolExecutor boundedExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "ominis-lookup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Builds an {@link XmlCurlService}. */
    public static final class Builder {
        private Database database;
        private XmlCurlSettings settings = XmlCurlSettings.defaults();
        private int lookupThreads = 8;
        private IvrTargetPolicy ivrTargets = new IvrTargetPolicy(List.of(), List.of());
        private Function<Prompt, Optional<String>> promptAudio = prompt -> Optional.empty();
        private Consumer<String> domainSeen = domain -> { };

        private Builder() {
        }

        /** The database answers come from (required). */
        public Builder database(Database database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /** How to answer and whom; {@link XmlCurlSettings#defaults()} when not set. */
        public Builder settings(XmlCurlSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Threads for database lookups (default 8; the server uses one per pooled connection). */
        public Builder lookupThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("lookupThreads must be at least 1, got " + threads);
            }
            this.lookupThreads = threads;
            return this;
        }

        /** Where IVR {@code play_audio} and {@code http_api_call} options may reach. */
        public Builder ivrTargets(IvrTargetPolicy targets) {
            this.ivrTargets = Objects.requireNonNull(targets, "targets");
            return this;
        }

        /** The cached audio file of a prompt, if any; without one IVR prompts are spoken with {@code say:}. */
        public Builder promptAudio(Function<Prompt, Optional<String>> audio) {
            this.promptAudio = Objects.requireNonNull(audio, "audio");
            return this;
        }

        /** Told each domain FreeSWITCH caches a user in, so a changed user can be flushed there. */
        public Builder onDomainSeen(Consumer<String> listener) {
            this.domainSeen = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The service; call {@link XmlCurlService#close()} to stop its lookup threads. */
        public XmlCurlService build() {
            return new XmlCurlService(this);
        }
    }
}

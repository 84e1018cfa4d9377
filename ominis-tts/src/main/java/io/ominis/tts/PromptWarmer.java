package io.ominis.tts;

import io.ominis.core.NotFoundException;
import io.ominis.core.OminisException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.db.ChangeListener;
import io.ominis.db.IvrDao;
import io.ominis.db.secrets.IvrApiKeys;
import io.ominis.tts.PromptCache;
import io.ominis.tts.WarmReport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthesizes an IVR's prompts ahead of the first call. On demand ({@link #warm}) and in the background whenever an
 * IVR or one of its menus changes — driven by the database's change notifications, so a change made by any writer is
 * warmed, and bursts of edits to one IVR are debounced into one pass.
 */
public final class PromptWarmer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PromptWarmer.class);
    private static final Duration DEBOUNCE = Duration.ofSeconds(2);

    private final PromptCache cache;
    private final IvrDao ivrs;
    private final IvrApiKeys keys;
    private final ScheduledExecutorService executor;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public PromptWarmer(PromptCache cache, IvrDao ivrs, IvrApiKeys keys) {
        this.cache = cache;
        this.ivrs = ivrs;
        this.keys = keys;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ominis-tts-warm");
            t.setDaemon(true);
            return t;
        });
    }

    /** Synthesizes every prompt of {@code ivrName} not yet cached and reports each prompt. */
    public WarmReport warm(String ivrName) {
        IvrDefinition definition = ivrs.load(ivrName).orElseThrow(() -> new NotFoundException("ivr", ivrName));
        return cache.warm(definition, apiKeyOf(definition.ivr()));
    }

    /** A change notification: warm the IVR it concerns shortly, once however many changes arrive meanwhile. */
    public void onChange(ChangeListener.Change change) {
        if (!("ivrs".equals(change.table()) || "ivr_menus".equals(change.table())) || change.wholeTable()) {
            return;
        }
        String name = change.key();
        if (pending.add(name)) {
            executor.schedule(() -> {
                pending.remove(name);
                try {
                    if (ivrs.find(name).isPresent()) {
                        WarmReport report = warm(name);
                        LOG.info("warmed IVR {}: {} prompt(s), {} failed", name, report.prompts().size(),
                                report.count(WarmReport.Outcome.FAILED));
                    }
                } catch (OminisException e) {
                    LOG.warn("warming IVR {} failed: {}", name, e.getMessage());
                }
            }, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The IVR's own key when it has one (opened with OMINIS_SECRET_KEY), else null for the default key. */
    private String apiKeyOf(Ivr ivr) {
        return ivr.openaiApiKey() == null ? null : keys.openOrUnavailable(ivr.name(), ivr.openaiApiKey());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

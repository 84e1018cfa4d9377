package io.ominis.xmlcurl;

import io.ominis.core.callcenter.QueueParameter;
import io.ominis.xmlcurl.internal.FsExpression;
import io.ominis.xmlcurl.internal.FsXmlOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders {@code callcenter.conf}: {@code <settings>} (always with {@code odbc-dsn}) and {@code <queues>} in name
 * order, each queue's params in name order. No {@code <agents>} or {@code <tiers>}: they live in the shared database
 * and change through {@code callcenter_config}; mod_callcenter would otherwise upsert the XML copies over live rows on
 * every load. A {@code record-template} that names a directory (ends in {@code /}) is completed with
 * {@link FsExpression#QUEUE_RECORDING}, so each call gets its own file without any user text FreeSWITCH expands.
 */
public final class CallcenterRenderer {

    private static final String RECORD_TEMPLATE = QueueParameter.RECORD_TEMPLATE.fsName();

    private final FsXmlOutput output = new FsXmlOutput();

    /** Renders the settings and the given queues; a queue name given twice is rendered once (the first). */
    public XmlDocument render(CallcenterSettings settings, List<QueueDefinition> queues) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(queues, "queues");
        List<String> warnings = new ArrayList<>();
        List<QueueDefinition> sorted = new ArrayList<>();
        queues.stream().sorted(Comparator.comparing(QueueDefinition::name)).forEach(q -> {
            if (!sorted.isEmpty() && sorted.get(sorted.size() - 1).name().equals(q.name())) {
                warnings.add("queue " + q.name() + " given twice; the first definition is rendered");
            } else {
                sorted.add(q);
            }
        });
        byte[] xml = output.document(w -> {
            w.section("configuration").start("configuration").attribute("name", "callcenter.conf")
                    .attribute("description", "CallCenter").start("settings");
            w.param("odbc-dsn", settings.odbcDsn());
            w.param("cc-instance-id", settings.ccInstanceId());
            w.param("reserve-agents", text(settings.reserveAgents()));
            w.param("truncate-tiers-on-load", text(settings.truncateTiersOnLoad()));
            w.param("truncate-agents-on-load", text(settings.truncateAgentsOnLoad()));
            w.param("global-database-lock", text(settings.globalDatabaseLock()));
            w.param("agent-originate-timeout", text(settings.agentOriginateTimeout()));
            w.end().start("queues");
            for (QueueDefinition queue : sorted) {
                w.start("queue").attribute("name", queue.name());
                for (Map.Entry<String, String> param : queue.params().entrySet()) {
                    if (param.getKey().equals(RECORD_TEMPLATE) && param.getValue().endsWith("/")) {
                        w.start("param").attribute("name", RECORD_TEMPLATE)
                                .attribute("value", FsExpression.QUEUE_RECORDING, param.getValue()).end();
                    } else {
                        w.param(param.getKey(), param.getValue());
                    }
                }
                w.end();
            }
            w.end().end().end();
        });
        return new XmlDocument(xml, null, warnings);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}

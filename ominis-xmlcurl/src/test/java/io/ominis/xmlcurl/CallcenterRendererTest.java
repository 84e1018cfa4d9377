package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallcenterRendererTest {

    @Test
    void settingsAndQueues() {
        CallcenterSettings settings = new CallcenterSettings(
                "pgsql://hostaddr=10.0.0.9 dbname=ominis user=freeswitch password='p$$w0rd'", "fs-node-1",
                null, false, false, null, 30);
        List<QueueDefinition> queues = List.of(
                QueueDefinition.withDefaults("support@default").with("max-wait-time", "0300")
                        .with("tier-rules-apply", "TRUE").with("agent-no-answer-status", "on break"),
                new QueueDefinition("sales@default", Map.of("strategy", "ring-all", "moh-sound", "/sounds/$hold.wav",
                        "discard-abandoned-after", "86400", "time-base-score", "system",
                        "record-template", "/var/rec/sales/")));

        XmlDocument doc = new CallcenterRenderer().render(settings, queues);

        assertThat(doc.text()).doesNotContain("$$").contains("/sounds/&#36;hold.wav")
                // a directory gets our per-call file name, whose $ (and only those) reach FreeSWITCH
                .contains("value=\"/var/rec/sales/${strftime(%Y-%m-%d-%H-%M-%S)}.${uuid}.wav\"");
        Golden.assertMatches("callcenter.xml", doc);
    }

    @Test
    void onlyTheDsnIsRequired() {
        XmlDocument doc = new CallcenterRenderer().render(CallcenterSettings.of("odbc://ominis", null), List.of());

        assertThat(doc.text()).contains("<param name=\"odbc-dsn\" value=\"odbc://ominis\"/>")
                .doesNotContain("cc-instance-id").contains("<queues/>");
    }

    @Test
    void queueParametersAreValidated() {
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("strategy", "fastest"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("params.strategy");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("max-wait-time", "86401"))
                .hasMessageContaining("0 to 86400");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("max-wait-time", "-1"))
                .hasMessageContaining("0 to 86400");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("agent-no-answer-status", "Sleeping"))
                .hasMessageContaining("params.agent-no-answer-status").hasMessageContaining("On Break");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("moh-sound", "$${hold_music}"))
                .hasMessageContaining("params.moh-sound").hasMessageContaining("${");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("record-template", "rec/${uuid}.wav"))
                .hasMessageContaining("params.record-template");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("record-template", "rec/a.wav"))
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("moh-sound", "a\nb"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("q").with("odbc-dsn", "x"))
                .hasMessageContaining("unknown queue parameter");
        assertThatThrownBy(() -> QueueDefinition.withDefaults("a b")).hasMessageContaining("queue name");
        assertThatThrownBy(() -> CallcenterSettings.of(" ", null)).hasMessageContaining("odbc-dsn");
    }

    @Test
    void duplicateQueueNamesRenderOnce() {
        XmlDocument doc = new CallcenterRenderer().render(CallcenterSettings.of("odbc://ominis", null),
                List.of(QueueDefinition.withDefaults("q"), QueueDefinition.withDefaults("q").with("strategy", "random")));

        assertThat(doc.text()).doesNotContain("random");
        assertThat(doc.warnings()).hasSize(1);
    }
}

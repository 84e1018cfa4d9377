package io.ominis.core.callcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.InvalidValueException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueParameterTest {

    @Test
    void everyParameterOfModCallcenter1012WithItsDefault() {
        // queue_set_config in mod_callcenter.c of 1.10.12, in its order
        assertThat(Arrays.stream(QueueParameter.values()).map(QueueParameter::fsName)).containsExactly("strategy",
                "moh-sound", "announce-sound", "announce-frequency", "record-template", "time-base-score",
                "ring-progressively-delay", "tier-rules-apply", "tier-rule-wait-second",
                "tier-rule-wait-multiply-level", "tier-rule-no-agent-no-wait", "discard-abandoned-after",
                "abandoned-resume-allowed", "max-wait-time", "max-wait-time-with-no-agent",
                "max-wait-time-with-no-agent-time-reached", "agent-no-answer-status",
                "skip-agents-with-external-calls");
        assertThat(QueueParameter.STRATEGY.allowed()).containsExactlyInAnyOrder("ring-all", "longest-idle-agent",
                "round-robin", "top-down", "agent-with-least-talk-time", "agent-with-fewest-calls",
                "sequentially-by-agent-order", "random", "ring-progressively");
        assertThat(QueueParameter.byName("calls-per-agent")).isEmpty();
        for (QueueParameter p : QueueParameter.values()) {
            // every default is a value the parameter accepts
            assertThat(p.normalise("f", p.defaultValue())).as(p.fsName()).isEqualTo(p.defaultValue());
        }
    }

    @Test
    void valuesAreNormalisedAsFreeSwitchReadsThemOrRefusedNamingTheField() {
        assertThat(QueueParameter.STRATEGY.normalise("f", " Top-Down ")).isEqualTo("top-down");
        assertThat(QueueParameter.MAX_WAIT_TIME.normalise("f", "0086400")).isEqualTo("86400");
        assertThat(QueueParameter.TIER_RULES_APPLY.normalise("f", "TRUE")).isEqualTo("true");
        assertThat(QueueParameter.AGENT_NO_ANSWER_STATUS.normalise("f", "available (on demand)"))
                .isEqualTo("Available (On Demand)");
        assertThat(QueueParameter.RECORD_TEMPLATE.normalise("f", "/var/rec/")).isEqualTo("/var/rec/");
        for (String[] bad : new String[][] {{"strategy", "fastest"}, {"max-wait-time", "86401"},
                {"max-wait-time", "-1"}, {"max-wait-time", "1e3"}, {"tier-rules-apply", "yes"},
                {"agent-no-answer-status", "Unknown"}, {"moh-sound", "${sound}"}, {"moh-sound", " "},
                {"announce-sound", "a\nb"}, {"record-template", "relative.wav"},
                {"record-template", "/var/../etc/passwd"}, {"time-base-score", "member"}}) {
            QueueParameter p = QueueParameter.byName(bad[0]).orElseThrow();
            assertThatThrownBy(() -> p.normalise("params." + bad[0], bad[1])).as("%s=%s", bad[0], bad[1])
                    .isInstanceOfSatisfying(InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("params." + bad[0]));
        }
    }

    @Test
    void aQueueFillsInDefaultsAndRefusesUnknownParameters() {
        CallcenterQueue q = CallcenterQueue.of("q@default", null, Map.of("strategy", "random")).validate();
        assertThat(q.get(QueueParameter.STRATEGY)).isEqualTo("random");
        assertThat(q.get(QueueParameter.DISCARD_ABANDONED_AFTER)).isEqualTo("60");
        assertThat(q.get(QueueParameter.ANNOUNCE_SOUND)).isNull();
        assertThat(q.defined()).isFalse();
        assertThatThrownBy(() -> CallcenterQueue.of("q", null, Map.of("odbc-dsn", "x")))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("params.odbc-dsn"));
    }
}

package io.ominis.core.switchstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration AFTER = Duration.ofMinutes(5);

    private static NodeSighting node(String name, String switchname, String instance, Duration silent) {
        return new NodeSighting(name, switchname, instance, NOW.minus(Duration.ofDays(1)), NOW,
                silent == null ? null : NOW.minus(silent), null);
    }

    @Test
    void aNodeIsStaleOnlyWhenSilentLongerThanTheConfiguredTime() {
        NodeLiveness l = NodeLiveness.judge(List.of(
                node("fs1", "a", null, Duration.ofSeconds(10)),
                node("fs2", "b", null, Duration.ofMinutes(5)),
                node("fs3", "c", null, Duration.ofMinutes(5).plusMillis(1))), NOW, AFTER);
        assertThat(l.stale()).extracting(NodeSighting::node).containsExactly("fs3");
        assertThat(l.live()).extracting(NodeSighting::node).containsExactly("fs1", "fs2");
        assertThat(l.staleSwitchnames()).containsExactly("c");
        assertThat(l.guardedSwitchnames()).containsExactly("a", "b");
    }

    @Test
    void aNodeThatNeverAnsweredCountsFromItsFirstAttempt() {
        NodeSighting never = new NodeSighting("fs4", null, null, NOW.minusSeconds(60), NOW, null, "refused");
        assertThat(never.silentFor(NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(never.staleAt(NOW, AFTER)).isFalse();
        assertThat(never.staleAt(NOW.plus(AFTER), AFTER)).isTrue();
        assertThat(never.ccInstanceId()).isEqualTo(NodeSighting.SINGLE_BOX);
        // a clock behind the last answer is not a negative silence
        assertThat(node("fs5", "e", null, Duration.ofSeconds(-3)).silentFor(NOW)).isZero();
    }

    @Test
    void sharedSwitchnamesAndInstanceIdsOfLiveOrSparedNodesAreGuarded() {
        NodeLiveness l = NodeLiveness.judge(List.of(
                node("fs1", "shared", "single_box", Duration.ZERO),
                node("fs2", "shared", "single_box", Duration.ofHours(1)),
                node("fs3", "own", "cc-3", Duration.ofHours(1)),
                node("fs4", null, "cc-4", Duration.ofHours(1))), NOW, AFTER);
        assertThat(l.staleSwitchnames()).containsExactly("own");
        assertThat(l.staleInstanceIds()).containsExactly("cc-3", "cc-4");

        NodeLiveness only3 = l.restrictTo(Set.of("fs3"));
        assertThat(only3.stale()).extracting(NodeSighting::node).containsExactly("fs3");
        assertThat(only3.spared()).extracting(NodeSighting::node).containsExactly("fs2", "fs4");
        assertThat(only3.staleInstanceIds()).containsExactly("cc-3");
        assertThat(l.restrictTo(Set.of())).isSameAs(l);
    }

    @Test
    void namingALiveOrUnknownNodeIsRefused() {
        NodeLiveness l = NodeLiveness.judge(List.of(node("fs1", "a", null, Duration.ZERO),
                node("fs2", "b", null, Duration.ofHours(1))), NOW, AFTER);
        assertThatThrownBy(() -> l.restrictTo(Set.of("fs1"))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("fs1");
        assertThatThrownBy(() -> l.restrictTo(Set.of("fs9"))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("fs9");
        assertThatThrownBy(() -> NodeLiveness.judge(List.of(), NOW, Duration.ZERO))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aRepairMustChooseSomethingAndARealStatus() {
        assertThatThrownBy(() -> new StaleRepair(null, false, null, false, false, false, true))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> new StaleRepair(null, false, io.ominis.core.callcenter.AgentStatus.UNKNOWN, false,
                false, false, true)).isInstanceOf(InvalidValueException.class);
        StaleRepair all = StaleRepair.everything(io.ominis.core.callcenter.AgentStatus.ON_BREAK, false);
        assertThat(all.nodes()).isEmpty();
        assertThat(all.agents()).isTrue();
        assertThat(all.members() && all.channels() && all.calls() && all.registrations()).isTrue();
    }
}

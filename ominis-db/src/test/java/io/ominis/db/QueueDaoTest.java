package io.ominis.db;

import static io.ominis.db.PlainSql.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.NotFoundException;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.core.callcenter.QueueParameter;
import io.ominis.testing.OminisDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueDaoTest {

    @RegisterExtension
    static final OminisDatabase db = OminisDatabase.migrated();

    private static final PlainSql sql = new PlainSql(db);

    private QueueDao queues;

    @BeforeEach
    void clean() throws SQLException {
        queues = Database.create(db.dataSource()).queues();
        sql.run("DELETE FROM callcenter_queues");
    }

    @Test
    void aQueueLeftAtItsDefaultsIsStoredWithFreeSwitchsDefaults() {
        CallcenterQueue stored = queues.create(CallcenterQueue.of("support@default", null, Map.of()));

        assertThat(stored.defined()).isTrue();
        assertThat(stored.node()).isNull();
        for (QueueParameter p : QueueParameter.values()) {
            assertThat(stored.get(p)).as(p.fsName()).isEqualTo(p.defaultValue());
        }
        // the column defaults of V9 are the same as QueueParameter's, so a row written by psql matches too
        assertThat(stored.get(QueueParameter.MOH_SOUND)).isEqualTo(CallcenterQueue.DEFAULT_MOH_SOUND);
        assertThat(stored.paramsByName()).doesNotContainKeys("announce-sound", "record-template")
                .containsEntry("strategy", "longest-idle-agent").containsEntry("discard-abandoned-after", "60")
                .containsEntry("tier-rule-no-agent-no-wait", "true").hasSize(QueueParameter.values().length - 2);
    }

    @Test
    void everyParameterRoundTripsNormalised() throws SQLException {
        CallcenterQueue stored = queues.create(CallcenterQueue.of("sales@default", "fs1", Map.ofEntries(
                Map.entry("strategy", "Ring-All"), Map.entry("moh-sound", "local_stream://moh"),
                Map.entry("announce-sound", "/sounds/wait.wav"), Map.entry("announce-frequency", "030"),
                Map.entry("record-template", "/var/rec/"), Map.entry("time-base-score", "SYSTEM"),
                Map.entry("ring-progressively-delay", "5"), Map.entry("tier-rules-apply", "TRUE"),
                Map.entry("tier-rule-wait-second", "15"), Map.entry("tier-rule-wait-multiply-level", "true"),
                Map.entry("tier-rule-no-agent-no-wait", "false"), Map.entry("discard-abandoned-after", "86400"),
                Map.entry("abandoned-resume-allowed", "true"), Map.entry("max-wait-time", "600"),
                Map.entry("max-wait-time-with-no-agent", "120"),
                Map.entry("max-wait-time-with-no-agent-time-reached", "0"),
                Map.entry("agent-no-answer-status", "logged out"),
                Map.entry("skip-agents-with-external-calls", "false"))));

        CallcenterQueue read = queues.get("sales@default");
        assertThat(read).isEqualTo(stored);
        assertThat(read.node()).isEqualTo("fs1");
        assertThat(read.paramsByName()).containsEntry("strategy", "ring-all").containsEntry("announce-frequency", "30")
                .containsEntry("time-base-score", "system").containsEntry("agent-no-answer-status", "Logged Out")
                .containsEntry("record-template", "/var/rec/").containsEntry("tier-rule-no-agent-no-wait", "false")
                .hasSize(QueueParameter.values().length);
        assertThat(sql.number("SELECT count(*) FROM callcenter_queues WHERE strategy = 'ring-all' AND tier_rules_apply "
                + "AND max_wait_time = 600 AND agent_no_answer_status = 'Logged Out'")).isEqualTo(1);
    }

    @Test
    void badValuesAreRefusedNamingTheParameterAndNothingIsStored() {
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("strategy", "fastest"))),
                "params.strategy");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("max-wait-time", "86401"))),
                "params.max-wait-time");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("max-wait-time", "-1"))),
                "params.max-wait-time");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("tier-rules-apply", "yes"))),
                "params.tier-rules-apply");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("agent-no-answer-status",
                "Sleeping"))), "params.agent-no-answer-status");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("moh-sound", "${system(id)}"))),
                "params.moh-sound");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("announce-sound", "$${x}"))),
                "params.announce-sound");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("record-template", "rec.wav"))),
                "params.record-template");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", null, Map.of("calls-per-agent", "2"))),
                "params.calls-per-agent");
        assertInvalid(() -> queues.create(CallcenterQueue.of("a queue", null, Map.of())), "name");
        assertInvalid(() -> queues.create(CallcenterQueue.of("q", "fs 1", Map.of())), "node");
        Map<QueueParameter, String> nullStrategy = new EnumMap<>(QueueParameter.class);
        nullStrategy.put(QueueParameter.STRATEGY, null);
        assertInvalid(() -> queues.create(new CallcenterQueue("q", null, nullStrategy, null, null)),
                "params.strategy");
        assertThat(queues.list()).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatTheValidationRefuses() {
        sql.assertRefused("INSERT INTO callcenter_queues (name, strategy) VALUES ('q', 'fastest')",
                "callcenter_queues_strategy_check");
        sql.assertRefused("INSERT INTO callcenter_queues (name, moh_sound) VALUES ('q', '${system(id)}')",
                "callcenter_queues_moh_sound_check");
        sql.assertRefused("INSERT INTO callcenter_queues (name, record_template) VALUES ('q', 'x/${uuid}')",
                "callcenter_queues_record_template_check");
        sql.assertRefused("INSERT INTO callcenter_queues (name, max_wait_time) VALUES ('q', 86401)",
                "callcenter_queues_max_wait_time_check");
        sql.assertRefused("INSERT INTO callcenter_queues (name, agent_no_answer_status) VALUES ('q', 'Sleeping')",
                "callcenter_queues_agent_no_answer_status_check");
    }

    @Test
    void aSecondDefinitionOfTheSameQueueIsAConflict() {
        queues.create(CallcenterQueue.withDefaults("q"));
        assertThatThrownBy(() -> queues.create(CallcenterQueue.withDefaults("q")))
                .isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void modifyChangesParametersButNeverTheName() {
        queues.create(CallcenterQueue.withDefaults("q"));
        CallcenterQueue changed = queues.modify("q", current -> {
            Map<QueueParameter, String> params = new EnumMap<>(current.params());
            params.put(QueueParameter.STRATEGY, "random");
            return current.with("fs2", params);
        });
        assertThat(changed.get(QueueParameter.STRATEGY)).isEqualTo("random");
        assertThat(changed.node()).isEqualTo("fs2");
        assertThat(changed.updatedAt()).isAfterOrEqualTo(changed.createdAt());

        assertInvalid(() -> queues.modify("q", current -> CallcenterQueue.of("other", null, Map.of())), "name");
        assertInvalid(() -> queues.modify("q", current -> current.with(null, Map.of(QueueParameter.MAX_WAIT_TIME,
                "x"))), "params.max-wait-time");
        assertThat(queues.get("q").get(QueueParameter.STRATEGY)).isEqualTo("random");
        assertThatThrownBy(() -> queues.modify("missing", c -> c)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentPartialChangesKeepEachOthersParameters() throws Exception {
        queues.create(CallcenterQueue.withDefaults("q"));
        List<QueueParameter> seconds = List.of(QueueParameter.MAX_WAIT_TIME, QueueParameter.ANNOUNCE_FREQUENCY,
                QueueParameter.TIER_RULE_WAIT_SECOND, QueueParameter.DISCARD_ABANDONED_AFTER,
                QueueParameter.MAX_WAIT_TIME_WITH_NO_AGENT, QueueParameter.RING_PROGRESSIVELY_DELAY);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<CallcenterQueue>> writers = new ArrayList<>();
        for (int i = 0; i < seconds.size(); i++) {
            QueueParameter p = seconds.get(i);
            String value = Integer.toString(100 + i);
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return queues.modify("q", current -> {
                    Map<QueueParameter, String> params = new EnumMap<>(current.params());
                    params.put(p, value);
                    return current.with(current.node(), params);
                });
            }));
        }
        start.countDown();
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();

        CallcenterQueue after = queues.get("q");
        for (int i = 0; i < seconds.size(); i++) {
            assertThat(after.get(seconds.get(i))).as(seconds.get(i).fsName()).isEqualTo(Integer.toString(100 + i));
        }
    }

    @Test
    void deleteReturnsTheDefinitionItRemoved() {
        queues.create(CallcenterQueue.of("q", "fs1", Map.of()));
        assertThat(queues.delete("q")).map(CallcenterQueue::node).contains("fs1");
        assertThat(queues.delete("q")).isEmpty();
        assertThat(queues.find("q")).isEmpty();
    }

    @Test
    void aQueueWithMembersCannotBeDeletedAndKeepsItsDefinition() throws SQLException {
        sql.run("DELETE FROM members");
        queues.create(CallcenterQueue.of("busy@default", "fs1", Map.of("strategy", "random")));
        sql.run("INSERT INTO members (queue, instance_id, uuid, state) VALUES ('busy@default', 'single_box', 'm1', "
                + "'Abandoned')");

        assertThatThrownBy(() -> queues.delete("busy@default")).isInstanceOf(io.ominis.core.ConflictException.class)
                .hasMessageContaining("1 member(s)");
        assertThat(queues.find("busy@default")).map(q -> q.get(QueueParameter.STRATEGY)).contains("random");

        sql.run("DELETE FROM members");
        assertThat(queues.delete("busy@default")).isPresent();
    }

    @Test
    void listIsInByteOrder() {
        for (String name : List.of("b@default", "B@default", "a@default")) {
            queues.create(CallcenterQueue.withDefaults(name));
        }
        assertThat(queues.list()).extracting(CallcenterQueue::name)
                .containsExactly("B@default", "a@default", "b@default");
    }

    @Test
    void servedAreTheDefinitionsAndEveryOtherNamedQueueWithDefaults() throws SQLException {
        sql.run("DELETE FROM tiers; DELETE FROM members");
        queues.create(CallcenterQueue.of("sales@default", "fs1", Map.of("strategy", "random")));
        sql.run("INSERT INTO tiers (queue, agent, state, level, position) VALUES ('support@default', 'a', 'Ready', 1, 1),"
                + " ('sales@default', 'b', 'Ready', 1, 1), ('bad queue; reloadxml', 'c', 'Ready', 1, 1)");
        sql.run("INSERT INTO members (queue, instance_id, uuid, state) VALUES ('waiting@default', 'single_box', 'u1', "
                + "'Waiting')");

        List<CallcenterQueue> served = queues.served(List.of("always@default", "sales@default"));

        assertThat(served).extracting(CallcenterQueue::name)
                .containsExactly("always@default", "sales@default", "support@default", "waiting@default");
        assertThat(served).extracting(CallcenterQueue::defined).containsExactly(false, true, false, false);
        assertThat(served.get(1).get(QueueParameter.STRATEGY)).isEqualTo("random");
        assertThat(served.get(2).get(QueueParameter.MOH_SOUND)).isEqualTo(CallcenterQueue.DEFAULT_MOH_SOUND);
        sql.run("DELETE FROM tiers; DELETE FROM members");
    }
}

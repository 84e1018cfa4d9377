package io.ominis.db;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.core.callcenter.QueueParameter;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.ominis.core.ivr.IvrActionType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes queue definitions ({@code callcenter_queues}): one column per {@link QueueParameter}, named after
 * the parameter with {@code _} for {@code -}. Every write validates the queue first ({@link CallcenterQueue#validate()}),
 * so what is stored is what mod_callcenter reads correctly.
 */
public final class QueueDao {

    private static final String COLUMNS = """
            name, node, strategy, moh_sound, announce_sound, announce_frequency, record_template, time_base_score,
            ring_progressively_delay, tier_rules_apply, tier_rule_wait_second, tier_rule_wait_multiply_level,
            tier_rule_no_agent_no_wait, discard_abandoned_after, abandoned_resume_allowed, max_wait_time,
            max_wait_time_with_no_agent, max_wait_time_with_no_agent_time_reached, agent_no_answer_status,
            skip_agents_with_external_calls, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO callcenter_queues (name, node, strategy, moh_sound, announce_sound, announce_frequency,
                record_template, time_base_score, ring_progressively_delay, tier_rules_apply, tier_rule_wait_second,
                tier_rule_wait_multiply_level, tier_rule_no_agent_no_wait, discard_abandoned_after,
                abandoned_resume_allowed, max_wait_time, max_wait_time_with_no_agent,
                max_wait_time_with_no_agent_time_reached, agent_no_answer_status, skip_agents_with_external_calls)
            VALUES (:name, :node, :strategy, :moh_sound, :announce_sound, :announce_frequency, :record_template,
                :time_base_score, :ring_progressively_delay, :tier_rules_apply, :tier_rule_wait_second,
                :tier_rule_wait_multiply_level, :tier_rule_no_agent_no_wait, :discard_abandoned_after,
                :abandoned_resume_allowed, :max_wait_time, :max_wait_time_with_no_agent,
                :max_wait_time_with_no_agent_time_reached, :agent_no_answer_status, :skip_agents_with_external_calls)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE callcenter_queues
            SET node = :node, strategy = :strategy, moh_sound = :moh_sound, announce_sound = :announce_sound,
                announce_frequency = :announce_frequency, record_template = :record_template,
                time_base_score = :time_base_score, ring_progressively_delay = :ring_progressively_delay,
                tier_rules_apply = :tier_rules_apply, tier_rule_wait_second = :tier_rule_wait_second,
                tier_rule_wait_multiply_level = :tier_rule_wait_multiply_level,
                tier_rule_no_agent_no_wait = :tier_rule_no_agent_no_wait,
                discard_abandoned_after = :discard_abandoned_after,
                abandoned_resume_allowed = :abandoned_resume_allowed, max_wait_time = :max_wait_time,
                max_wait_time_with_no_agent = :max_wait_time_with_no_agent,
                max_wait_time_with_no_agent_time_reached = :max_wait_time_with_no_agent_time_reached,
                agent_no_answer_status = :agent_no_answer_status,
                skip_agents_with_external_calls = :skip_agents_with_external_calls
            WHERE name = :name
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM callcenter_queues WHERE name = :name";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM callcenter_queues
            ORDER BY name COLLATE "C"
            LIMIT :limit""";

    private static final String DELETE = "DELETE FROM callcenter_queues WHERE name = :name RETURNING " + COLUMNS;
    private static final String MEMBERS_OF_QUEUE = "SELECT count(*) FROM members WHERE queue = :name";

    private final Jdbi jdbi;
    private final TierDao tiers;

    QueueDao(Jdbi jdbi, TierDao tiers) {
        this.jdbi = jdbi;
        this.tiers = tiers;
    }

    /**
     * Stores a new definition and returns it as stored.
     *
     * @throws InvalidValueException naming the field FreeSWITCH would misread
     * @throws io.ominis.core.AlreadyExistsException when the queue is already defined
     */
    public CallcenterQueue create(CallcenterQueue queue) {
        CallcenterQueue q = queue.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindAll(h.createQuery(INSERT), q)
                .map(QueueDao::map)
                .one()));
    }

    /** The definition of {@code name}, if it has one. */
    public Optional<CallcenterQueue> find(String name) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("name", name)
                .map(QueueDao::map)
                .findOne()));
    }

    /** The definition of {@code name}. @throws NotFoundException when it has none */
    public CallcenterQueue get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("queue", name));
    }

    /** Every definition, by name (byte order, as callcenter.conf lists them), at most {@link Limits#MAX}. */
    public List<CallcenterQueue> list() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("limit", Limits.MAX)
                .map(QueueDao::map)
                .list()));
    }

    /**
     * Every queue {@code callcenter.conf} serves, by name: the definitions, and with {@link CallcenterQueue#withDefaults}
     * every other queue named in {@code tiers} or {@code members} or in {@code alsoServed} (e.g.
     * {@code OMINIS_CALLCENTER_QUEUES}, or the queue FreeSWITCH asks about). A name mod_callcenter could not use as a
     * queue (written into {@code tiers} by hand) is left out rather than spoiling the whole document.
     */
    public List<CallcenterQueue> served(Collection<String> alsoServed) {
        Map<String, CallcenterQueue> byName = new TreeMap<>();
        for (CallcenterQueue q : list()) {
            byName.put(q.name(), q);
        }
        List<String> names = new ArrayList<>(tiers.queueNames());
        names.addAll(alsoServed);
        for (String name : names) {
            if (name != null && IvrActionType.QUEUE_NAME.matcher(name).matches()) {
                byName.computeIfAbsent(name, CallcenterQueue::withDefaults);
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * Reads the definition, applies {@code change} and stores the result (validated), all in one transaction holding
     * the row lock, so that two concurrent partial updates cannot lose each other's parameters. The name cannot change
     * (it is the queue's identity in FreeSWITCH, its tiers and its CDRs).
     *
     * @throws NotFoundException when the queue has no definition
     */
    public CallcenterQueue modify(String name, UnaryOperator<CallcenterQueue> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("name", name)
                        .map(QueueDao::map)
                        .findOne(),
                () -> new NotFoundException("queue", name), change,
                (h, current, changed) -> {
                    if (!current.name().equals(changed.name())) {
                        throw new InvalidValueException("name", "cannot be changed; create a new queue instead");
                    }
                    return bindAll(h.createQuery(UPDATE), changed.validate())
                            .map(QueueDao::map)
                            .one();
                });
    }

    /**
     * Deletes the definition and returns it as it was; empty when there was none.
     *
     * @throws io.ominis.core.ConflictException while mod_callcenter still holds members of the queue (waiting, or
     *     abandoned and kept for {@code discard-abandoned-after}): it looks the queue up again for them, so an unload
     *     would not last and the queue would come back with defaults (seen on FreeSWITCH 1.10.12)
     */
    public Optional<CallcenterQueue> delete(String name) {
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            long members = h.createQuery(MEMBERS_OF_QUEUE).bind("name", name).mapTo(Long.class).one();
            if (members > 0) {
                throw new ConflictException("queue '" + name + "' still has " + members + " member(s) in mod_callcenter "
                        + "(waiting, or abandoned and kept for discard-abandoned-after); delete it once they are gone");
            }
            return h.createQuery(DELETE)
                    .bind("name", name)
                    .map(QueueDao::map)
                    .findOne();
        }));
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, CallcenterQueue q) {
        statement.bind("name", q.name()).bind("node", q.node());
        for (QueueParameter p : QueueParameter.values()) {
            String column = column(p);
            String value = q.get(p);
            switch (p.kind()) {
                case SECONDS -> statement.bind(column, value == null ? null : Integer.valueOf(value));
                case BOOLEAN -> statement.bind(column, value == null ? null : Boolean.valueOf(value));
                default -> statement.bind(column, value);
            }
        }
        return statement;
    }

    private static CallcenterQueue map(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<QueueParameter, String> params = new EnumMap<>(QueueParameter.class);
        for (QueueParameter p : QueueParameter.values()) {
            String column = column(p);
            String value = switch (p.kind()) {
                case SECONDS -> Integer.toString(rs.getInt(column));
                case BOOLEAN -> Boolean.toString(rs.getBoolean(column));
                default -> rs.getString(column);
            };
            params.put(p, value);
        }
        return new CallcenterQueue(rs.getString("name"), rs.getString("node"), params, Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    /** The column of a parameter: its name with {@code _} for {@code -}, as V9 creates it. */
    private static String column(QueueParameter p) {
        return p.fsName().replace('-', '_');
    }
}

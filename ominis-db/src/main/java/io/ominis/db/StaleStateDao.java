package io.ominis.db;

import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.Member;
import io.ominis.core.switchstate.Call;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.NodeLiveness;
import io.ominis.core.switchstate.NodeSighting;
import io.ominis.core.switchstate.Registration;
import io.ominis.core.switchstate.StaleRepair;
import io.ominis.core.switchstate.StaleState;
import io.ominis.db.internal.SqlErrors;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Finds and repairs the rows FreeSWITCH nodes left behind when they stopped answering: {@code members},
 * {@code agents}, {@code channels}, {@code calls} and {@code registrations}. Which rows are whose follows how
 * FreeSWITCH writes them: core rows carry {@code hostname} = the switchname; a member belongs to the switch its
 * caller's channel is on ({@code session_uuid}), or to the {@code cc-instance-id} it was written with when only stale
 * nodes use that id; an agent is held by a stale node when a stale member names it as {@code serving_agent} or its
 * {@code uuid} is a stale channel. Nothing tied to a live node's channel is ever touched.
 *
 * <p>A repair runs in one transaction under an advisory lock, re-judging the nodes on the database clock inside it:
 * concurrent repairs (from any replica) queue up, the second finds nothing left, and a node that answered in between
 * is no longer stale.
 */
public final class StaleStateDao {

    private static final String NOW = "SELECT now()";

    /** One lock for all repairs: they are rare, and serialising them is what makes a second one find nothing. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('ominis.stale-state-repair'))";

    private static final String MEMBERS = """
            SELECT m.* FROM members m
            WHERE (m.instance_id = ANY(:instances)
                   OR EXISTS (SELECT 1 FROM channels c WHERE c.uuid = m.session_uuid AND c.hostname = ANY(:stale)))
              AND NOT EXISTS (SELECT 1 FROM channels g WHERE g.uuid = m.session_uuid AND g.hostname = ANY(:guarded))
            ORDER BY m.queue, m.joined_epoch, m.uuid""";

    private static final String AGENTS = """
            SELECT a.* FROM agents a
            WHERE (a.name = ANY(:servingAgents)
                   OR EXISTS (SELECT 1 FROM channels c WHERE c.uuid = a.uuid AND c.hostname = ANY(:stale)))
              AND NOT EXISTS (SELECT 1 FROM channels g WHERE g.uuid = a.uuid AND g.hostname = ANY(:guarded))
            ORDER BY a.name""";

    private static final String CHANNELS = """
            SELECT * FROM channels WHERE hostname = ANY(:stale) ORDER BY hostname, created_epoch, uuid""";

    private static final String CALLS = """
            SELECT * FROM calls WHERE hostname = ANY(:stale) ORDER BY hostname, call_created_epoch, call_uuid""";

    private static final String REGISTRATIONS = """
            SELECT * FROM registrations WHERE hostname = ANY(:stale) ORDER BY hostname, reg_user, realm, token""";

    private static final String RESET_AGENTS = """
            UPDATE agents a
            SET status = :status,
                state = 'Waiting',
                uuid = '',
                last_status_change = CAST(extract(epoch FROM now()) AS integer)
            WHERE a.name = ANY(:names)
              AND NOT EXISTS (SELECT 1 FROM channels g WHERE g.uuid = a.uuid AND g.hostname = ANY(:guarded))""";

    private static final String DELETE_MEMBERS = """
            DELETE FROM members m
            WHERE m.uuid = ANY(:uuids)
              AND NOT EXISTS (SELECT 1 FROM channels g WHERE g.uuid = m.session_uuid AND g.hostname = ANY(:guarded))""";

    private static final String DELETE_CALLS = "DELETE FROM calls WHERE hostname = ANY(:stale)";

    private static final String DELETE_CHANNELS = "DELETE FROM channels WHERE hostname = ANY(:stale)";

    private static final String DELETE_REGISTRATIONS = "DELETE FROM registrations WHERE hostname = ANY(:stale)";

    private static final RecordRows<Member> MEMBER_ROWS = RecordRows.of(Member.class);
    private static final RecordRows<Agent> AGENT_ROWS = RecordRows.of(Agent.class);
    private static final RecordRows<Channel> CHANNEL_ROWS = RecordRows.of(Channel.class);
    private static final RecordRows<Call> CALL_ROWS = RecordRows.of(Call.class);
    private static final RecordRows<Registration> REGISTRATION_ROWS = RecordRows.of(Registration.class);

    private final Jdbi jdbi;
    private final NodeSightings sightings;

    /** Stale state in {@code dataSource}'s database, nodes judged by {@code sightings}. */
    public StaleStateDao(DataSource dataSource, NodeSightings sightings) {
        this.jdbi = Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"));
        this.sightings = Objects.requireNonNull(sightings, "sightings");
    }

    /** Every node's verdict now (database clock): stale when silent for longer than {@code after}. */
    public NodeLiveness liveness(Duration after) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> judge(h, after, Set.of())));
    }

    /**
     * The rows of the nodes unreachable for longer than {@code after}, changing nothing.
     *
     * @param nodes stale nodes to look at; empty for all
     * @throws io.ominis.core.ConflictException     a named node is live
     * @throws io.ominis.core.InvalidValueException a named node is unknown
     */
    public StaleState find(Duration after, Set<String> nodes) {
        return SqlErrors.guard(() -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            NodeLiveness liveness = judge(h, after, nodes);
            return found(h, liveness, StaleRepair.everything(null, true), true);
        }));
    }

    /**
     * Does what {@code repair} asks, in one transaction, and answers the rows removed or reset (agents as they were
     * before); a dry run answers what would be, changing nothing. Kinds not asked for are left alone and answered as
     * empty lists.
     */
    public StaleState repair(StaleRepair repair, Duration after) {
        Objects.requireNonNull(repair, "repair");
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            h.createQuery(LOCK).mapTo(String.class).one();
            NodeLiveness liveness = judge(h, after, repair.nodes());
            StaleState state = found(h, liveness, repair, false);
            if (repair.dryRun()) {
                h.rollback();
                return state;
            }
            List<String> stale = liveness.staleSwitchnames();
            List<String> guarded = List.copyOf(liveness.guardedSwitchnames());
            if (repair.agents() && !state.agents().isEmpty()) {
                h.createUpdate(RESET_AGENTS)
                        .bind("status", repair.agentStatus().wire())
                        .bindArray("names", String.class, state.agents().stream().map(Agent::name).toList())
                        .bindArray("guarded", String.class, guarded)
                        .execute();
            }
            if (repair.members() && !state.members().isEmpty()) {
                h.createUpdate(DELETE_MEMBERS)
                        .bindArray("uuids", String.class, state.members().stream().map(Member::uuid).toList())
                        .bindArray("guarded", String.class, guarded)
                        .execute();
            }
            if (!stale.isEmpty()) {
                if (repair.calls()) {
                    h.createUpdate(DELETE_CALLS).bindArray("stale", String.class, stale).execute();
                }
                if (repair.channels()) {
                    h.createUpdate(DELETE_CHANNELS).bindArray("stale", String.class, stale).execute();
                }
                if (repair.registrations()) {
                    h.createUpdate(DELETE_REGISTRATIONS).bindArray("stale", String.class, stale).execute();
                }
            }
            return new StaleState(state.liveness(), state.members(), state.agents(), state.channels(), state.calls(),
                    state.registrations(), true);
        }));
    }

    private NodeLiveness judge(Handle h, Duration after, Set<String> nodes) {
        OffsetDateTime now = h.createQuery(NOW).mapTo(OffsetDateTime.class).one();
        List<NodeSighting> known = sightings.list(h);
        return NodeLiveness.judge(known, now.toInstant(), after).restrictTo(nodes);
    }

    /** The rows in scope of {@code repair}'s kinds; agents are found from all stale members, whatever is deleted. */
    private static StaleState found(Handle h, NodeLiveness liveness, StaleRepair repair, boolean look) {
        List<String> stale = liveness.staleSwitchnames();
        List<String> instances = liveness.staleInstanceIds();
        List<String> guarded = List.copyOf(liveness.guardedSwitchnames());
        List<Member> members = List.of();
        if (repair.members() || repair.agents() || look) {
            members = h.createQuery(MEMBERS)
                    .bindArray("instances", String.class, instances)
                    .bindArray("stale", String.class, stale)
                    .bindArray("guarded", String.class, guarded)
                    .map(MEMBER_ROWS).list();
        }
        List<Agent> agents = List.of();
        if (repair.agents() || look) {
            agents = h.createQuery(AGENTS)
                    .bindArray("servingAgents", String.class, members.stream().map(Member::servingAgent)
                            .filter(Objects::nonNull).distinct().toList())
                    .bindArray("stale", String.class, stale)
                    .bindArray("guarded", String.class, guarded)
                    .map(AGENT_ROWS).list();
        }
        List<Channel> channels = repair.channels()
                ? h.createQuery(CHANNELS).bindArray("stale", String.class, stale).map(CHANNEL_ROWS).list() : List.of();
        List<Call> calls = repair.calls()
                ? h.createQuery(CALLS).bindArray("stale", String.class, stale).map(CALL_ROWS).list() : List.of();
        List<Registration> registrations = repair.registrations()
                ? h.createQuery(REGISTRATIONS).bindArray("stale", String.class, stale).map(REGISTRATION_ROWS).list()
                : List.of();
        return new StaleState(liveness, repair.members() || look ? members : List.of(), agents, channels, calls,
                registrations, false);
    }
}

package io.ominis.api.rest;

import static io.javalin.http.HandlerType.GET;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.callcenter.Agent;
import io.ominis.core.callcenter.AgentState;
import io.ominis.core.callcenter.AgentStatus;
import io.ominis.core.callcenter.Member;
import io.ominis.core.callcenter.MemberState;
import io.ominis.core.callcenter.Tier;
import io.ominis.core.callcenter.TierState;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.DetailedCall;
import io.ominis.core.switchstate.Registration;
import io.ominis.db.ChannelDao;
import io.ominis.db.ChannelMirror;
import io.ominis.db.ChannelReads;
import io.ominis.db.RegistrationDao;
import io.ominis.db.ReplicaReads;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Read-only live state as FreeSWITCH and mod_callcenter write it into the shared database: {@code /v1/channels},
 * {@code /v1/calls}, {@code /v1/registrations} and {@code /v1/callcenter/{agents,tiers,members}}. One indexed query
 * instead of an XML-RPC round trip to every switch; the price is that FreeSWITCH writes these tables through a queue,
 * so a row may trail the switch by a moment.
 *
 * <p>Rows are returned as FreeSWITCH wrote them, column names in snake case and FreeSWITCH's own value spellings
 * ({@code CS_EXECUTE}, {@code On Break}). Listings are keyset pages: {@code limit} rows, a {@code next_cursor} to pass
 * back as {@code cursor}, and with {@code total=true} a count of every match. Each listing's key is one FreeSWITCH
 * does not change while the row lives, so rows that come and go between pages make no other row repeat or go missing.
 */
public final class LiveStateRoutes {

    /** Most rows one listing returns. */
    public static final int MAX_LIMIT = ChannelDao.MAX_LIMIT;

    /** Rows a listing returns when {@code limit} is absent. */
    public static final int DEFAULT_LIMIT = 100;

    /** Channel states FreeSWITCH writes ({@code switch_channel.c}). */
    static final List<String> CHANNEL_STATES = List.of("CS_NEW", "CS_INIT", "CS_ROUTING", "CS_SOFT_EXECUTE",
            "CS_EXECUTE", "CS_EXCHANGE_MEDIA", "CS_PARK", "CS_CONSUME_MEDIA", "CS_HIBERNATE", "CS_RESET", "CS_HANGUP",
            "CS_REPORTING", "CS_DESTROY");

    /** Call states FreeSWITCH writes. */
    static final List<String> CALLSTATES = List.of("DOWN", "DIALING", "RINGING", "EARLY", "ACTIVE", "HELD",
            "RING_WAIT", "HANGUP", "UNHELD");

    static final List<String> DIRECTIONS = List.of("inbound", "outbound");

    /**
     * Live channels, as listed. Like every listing here: pass {@code next_cursor} back as {@code cursor} for the next
     * page (null on the last); {@code total} counts every match and is there only with {@code total=true}.
     */
    @NullMarked
    public record ChannelList(List<Channel> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** How many channels a switch (or all, {@code hostname} null) has. */
    @NullMarked
    public record ChannelCount(@Nullable String hostname, long count) {
    }

    /** Rows of {@code detailed_calls}: a bridged call with both legs, or a lone channel with {@code callee} null. */
    @NullMarked
    public record CallList(List<DetailedCall> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /**
     * A registration as mod_sofia wrote it, plus whether it has run out: FreeSWITCH deletes stale rows only every 15
     * seconds and only its own, so rows of a vanished switch stay until someone looks at {@code expired}.
     */
    public record RegistrationView(
            String regUser,
            String realm,
            String token,
            String url,
            Integer expires,
            String networkIp,
            String networkPort,
            String networkProto,
            String hostname,
            String metadata,
            boolean expired) {

        static RegistrationView of(Registration r, Instant now) {
            return new RegistrationView(r.regUser(), r.realm(), r.token(), r.url(), r.expires(), r.networkIp(),
                    r.networkPort(), r.networkProto(), r.hostname(), r.metadata(), r.expiredAt(now));
        }
    }

    /** Registrations, as listed. */
    @NullMarked
    public record RegistrationList(List<RegistrationView> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** mod_callcenter agents, by name. */
    @NullMarked
    public record AgentList(List<Agent> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** mod_callcenter tiers, by queue, level and position. */
    @NullMarked
    public record TierList(List<Tier> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** mod_callcenter queue callers, in the order they are served. */
    @NullMarked
    public record MemberList(List<Member> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** A channel listing request, as far as its answer depends on it. */
    private record ListRequest(ChannelDao.Query query, @Nullable List<String> after, boolean total) {
    }

    private final ReplicaReads reads;
    private final @Nullable ChannelMirror mirror;
    private final SnapshotAnswers listings;
    private final Clock clock;

    /**
     * @param reads  where the rows are read: a read replica within its lag bound, else the primary
     * @param mirror the in-memory copy of {@code channels} that answers the channel routes while it is current, or
     *               null to read the table on every request
     * @param json   writes the answers
     * @param clock  tells when a registration has expired
     */
    public LiveStateRoutes(ReplicaReads reads, @Nullable ChannelMirror mirror, JsonBodies json, Clock clock) {
        this.reads = reads;
        this.mirror = mirror;
        this.listings = new SnapshotAnswers(json);
        this.clock = clock;
    }

    /** Routes that read every channel from the table. */
    public LiveStateRoutes(ReplicaReads reads, JsonBodies json) {
        this(reads, null, json, Clock.systemUTC());
    }

    public void register(ApiRouter router) {
        router.read(paged(Operation.json(GET, "/v1/channels", "live", "List live channels of all switches, oldest first",
                        ChannelList.class)
                .query("hostname", "string", "the switch (its switchname)")
                .query("state", "string", "channel state, e.g. CS_EXECUTE")
                .query("context", "string", "dialplan context")
                .query("direction", "string", "inbound or outbound")
                .query("callstate", "string", "call state, e.g. ACTIVE or RINGING")), this::channels);
        router.read(Operation.json(GET, "/v1/channels/count", "live", "Count live channels", ChannelCount.class)
                .query("hostname", "string", "the switch; all switches when absent"), this::channelCount);
        router.read(Operation.json(GET, "/v1/channels/{uuid}", "live", "Get a live channel", Channel.class)
                .errors(404), this::channel);
        router.read(paged(Operation.json(GET, "/v1/calls", "live",
                        "List calls (FreeSWITCH's detailed_calls view: bridged legs paired, lone channels alone)",
                        CallList.class)
                .query("hostname", "string", "the caller leg's switch")), this::calls);
        router.read(paged(Operation.json(GET, "/v1/registrations", "live",
                        "List SIP registrations by user, realm, switch and token; expired rows not yet swept are"
                                + " included and marked expired",
                        RegistrationList.class)
                .query("user", "string", "SIP user")
                .query("realm", "string", "registration domain")
                .query("hostname", "string", "the switch")), this::registrations);
        router.read(paged(Operation.json(GET, "/v1/callcenter/agents", "callcenter", "List mod_callcenter agents",
                        AgentList.class)
                .query("status", io.ominis.core.callcenter.AgentStatus.class, "the agent status")
                .query("state", io.ominis.core.callcenter.AgentState.class, "the agent state")), this::agents);
        router.read(Operation.json(GET, "/v1/callcenter/agents/{name}", "callcenter",
                        "One mod_callcenter agent as the agents row shows it (its tiers: /v1/callcenter/tiers?agent=)",
                        Agent.class)
                .errors(404), this::agent);
        router.read(paged(Operation.json(GET, "/v1/callcenter/tiers", "callcenter", "List mod_callcenter tiers",
                        TierList.class)
                .query("queue", "string", "queue name")
                .query("agent", "string", "agent name")
                .query("state", io.ominis.core.callcenter.TierState.class, "the tier state")), this::tiers);
        router.read(paged(Operation.json(GET, "/v1/callcenter/members", "callcenter",
                        "List callers in mod_callcenter queues, in the order they are served", MemberList.class)
                .query("queue", "string", "queue name")
                .query("state", io.ominis.core.callcenter.MemberState.class, "the member state")), this::members);
    }

    /** The paging parameters every listing here takes, documented once. */
    private static Operation paged(Operation operation) {
        return operation
                .query("limit", "integer", "rows per page, 1-" + MAX_LIMIT + ", default " + DEFAULT_LIMIT)
                .query("cursor", "string", "next_cursor of the previous page of the same listing")
                .query("total", "boolean", "true adds total, the count of every match");
    }

    private Object channels(Params params) {
        ChannelDao.Query query = new ChannelDao.Query(
                QueryParams.string(params, "hostname"),
                QueryParams.oneOf(params, "state", CHANNEL_STATES),
                QueryParams.string(params, "context"),
                QueryParams.oneOf(params, "direction", DIRECTIONS),
                QueryParams.oneOf(params, "callstate", CALLSTATES),
                limit(params));
        List<String> after = after(params, "channels", 3);
        boolean total = QueryParams.flag(params, "total");
        Optional<ChannelMirror.Snapshot> snapshot = mirror == null ? Optional.empty() : mirror.snapshot();
        if (snapshot.isEmpty()) {
            return reads.read(d -> channelList(d.channels(), query, after, total));
        }
        ChannelMirror.Snapshot s = snapshot.get();
        return listings.answer(s, new ListRequest(query, after, total), () -> channelList(s, query, after, total));
    }

    private static ChannelList channelList(ChannelReads c, ChannelDao.Query query, @Nullable List<String> after,
            boolean total) {
        Page<Channel, List<String>> page = c.page(query, after);
        return new ChannelList(page.items(), next("channels", page), total ? c.countMatching(query) : null);
    }

    private ChannelCount channelCount(Params params) {
        String hostname = QueryParams.string(params, "hostname");
        return new ChannelCount(hostname, channelReads(c -> c.count(hostname)));
    }

    private Channel channel(Params params) {
        String uuid = params.pathParam("uuid");
        return channelReads(c -> c.find(uuid)).orElseThrow(() -> new NotFoundException("channel", uuid));
    }

    /** From the in-memory copy while it is current (one snapshot for the whole answer), else from the table. */
    private <T> T channelReads(Function<ChannelReads, T> read) {
        Optional<ChannelMirror.Snapshot> snapshot = mirror == null ? Optional.empty() : mirror.snapshot();
        return snapshot.isPresent() ? read.apply(snapshot.get()) : reads.read(d -> read.apply(d.channels()));
    }

    private CallList calls(Params params) {
        String hostname = QueryParams.string(params, "hostname");
        List<String> after = after(params, "calls", 3);
        int limit = limit(params);
        Page<DetailedCall, List<String>> page = reads.read(d -> d.calls().detailedCalls(hostname, after, limit));
        return new CallList(page.items(), next("calls", page),
                total(params, () -> reads.read(d -> d.calls().countDetailed(hostname))));
    }

    private RegistrationList registrations(Params params) {
        RegistrationDao.Query query = new RegistrationDao.Query(
                QueryParams.string(params, "user"),
                QueryParams.string(params, "realm"),
                QueryParams.string(params, "hostname"),
                limit(params));
        List<String> after = after(params, "registrations", 4);
        Page<Registration, List<String>> page = reads.read(d -> d.registrations().page(query, after));
        Instant now = clock.instant();
        return new RegistrationList(page.items().stream().map(r -> RegistrationView.of(r, now)).toList(),
                next("registrations", page),
                total(params, () -> reads.read(d -> d.registrations().countMatching(query))));
    }

    private AgentList agents(Params params) {
        AgentStatus status = QueryParams.wire(params, "status", AgentStatus.class);
        AgentState state = QueryParams.wire(params, "state", AgentState.class);
        List<String> after = after(params, "agents", 1);
        int limit = limit(params);
        Page<Agent, List<String>> page = reads.read(d -> d.agents().page(status, state, after, limit));
        return new AgentList(page.items(), next("agents", page),
                total(params, () -> reads.read(d -> d.agents().count(status, state))));
    }

    private Agent agent(Params params) {
        String name = params.pathParam("name");
        return reads.read(d -> d.agents().find(name)).orElseThrow(() -> new io.ominis.core.NotFoundException("agent",
                JsonBodies.shorten(name)));
    }

    private TierList tiers(Params params) {
        String queue = QueryParams.string(params, "queue");
        String agent = QueryParams.string(params, "agent");
        TierState state = QueryParams.wire(params, "state", TierState.class);
        List<String> after = after(params, "tiers", 4);
        int limit = limit(params);
        Page<Tier, List<String>> page = reads.read(d -> d.tiers().page(queue, agent, state, after, limit));
        return new TierList(page.items(), next("tiers", page),
                total(params, () -> reads.read(d -> d.tiers().count(queue, agent, state))));
    }

    private MemberList members(Params params) {
        String queue = QueryParams.string(params, "queue");
        MemberState state = QueryParams.wire(params, "state", MemberState.class);
        List<String> after = after(params, "members", 2);
        int limit = limit(params);
        Page<Member, List<String>> page = reads.read(d -> d.members().page(queue, state, after, limit));
        return new MemberList(page.items(), next("members", page),
                total(params, () -> reads.read(d -> d.members().count(queue, state))));
    }

    private static int limit(Params params) {
        return QueryParams.limit(params, DEFAULT_LIMIT, MAX_LIMIT);
    }

    private static List<String> after(Params params, String listing, int columns) {
        return Cursors.decode(listing, QueryParams.string(params, "cursor"), columns);
    }

    private static String next(String listing, Page<?, List<String>> page) {
        return Cursors.encode(listing, page.next());
    }

    // the count runs only when asked for: on a busy switch it is the dearest part of the answer
    private static Long total(Params params, LongSupplier count) {
        return QueryParams.flag(params, "total") ? count.getAsLong() : null;
    }
}

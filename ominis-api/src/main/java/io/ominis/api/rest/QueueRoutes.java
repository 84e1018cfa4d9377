package io.ominis.api.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.callcenter.CallcenterQueue;
import io.ominis.core.callcenter.QueueParameter;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.db.QueueActivity;
import io.ominis.db.QueueDao;
import io.ominis.db.ReplicaReads;
import io.ominis.xmlrpc.QueueCommand;
import io.ominis.xmlrpc.SwitchControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /v1/callcenter/queues}: queue definitions (every parameter mod_callcenter reads, see {@link QueueParameter})
 * and the live view of each queue. Writes are committed first, then the queue is loaded, reloaded or unloaded on the
 * node that runs it, and the answer carries {@code reload} with each node's outcome, as ACL writes do: the status
 * stays the write's, because the row is stored whatever a node said and the node gets it with its next load. Queues
 * named only in {@code tiers}, {@code members} or {@code OMINIS_CALLCENTER_QUEUES} are listed with
 * {@code "defined": false} and FreeSWITCH's defaults, as {@code callcenter.conf} serves them.
 */
public final class QueueRoutes {

    /**
     * A queue as clients send it.
     *
     * @param params parameter name ({@code moh-sound}) to a string, whole number or boolean; a parameter left out (or,
     *               in a PATCH, set to null) takes its default
     */
    @NullMarked
    public record QueueInput(String name, @Nullable String node, @Nullable JsonNode params) {
    }

    /** A queue definition as the API shows it; {@code params} holds every parameter, null where unset. */
    @NullMarked
    public record QueueView(String name, boolean defined, @Nullable String node, Map<String, String> params,
            @Nullable Instant createdAt, @Nullable Instant updatedAt) {

        static QueueView of(CallcenterQueue q) {
            Map<String, String> params = new LinkedHashMap<>();
            q.params().forEach((p, v) -> params.put(p.fsName(), v));
            return new QueueView(q.name(), q.defined(), q.node(), params, q.createdAt(), q.updatedAt());
        }
    }

    /**
     * What a queue write sent to FreeSWITCH: the command, its {@code status} ({@code ok}, {@code failed} or
     * {@code not_configured}) and each node's outcome.
     */
    @NullMarked
    public record QueueReload(String command, String status, List<SwitchControl.NodeOutcome> nodes) {
    }

    /** The answer to a queue write: the queue as stored (before a delete), and its load, reload or unload. */
    @NullMarked
    public record QueueWritten(String name, boolean defined, @Nullable String node, Map<String, String> params,
            @Nullable Instant createdAt, @Nullable Instant updatedAt, QueueReload reload) {

        static QueueWritten of(QueueView v, QueueReload reload) {
            return new QueueWritten(v.name(), v.defined(), v.node(), v.params(), v.createdAt(), v.updatedAt(), reload);
        }
    }

    /** Queues, as listed. */
    @NullMarked
    public record QueueList(List<QueueDetail> items) {
    }

    /** A queue with its live view. */
    @NullMarked
    public record QueueDetail(String name, boolean defined, @Nullable String node, Map<String, String> params,
            @Nullable Instant createdAt, @Nullable Instant updatedAt, QueueActivity.Snapshot live) {
    }

    private final QueueDao queues;
    /** Where the live view is read; the definitions, with their ETags, always come from the primary. */
    private final ReplicaReads reads;
    private final SwitchControl control;
    private final JsonBodies bodies;
    private final Supplier<List<String>> alwaysServed;
    private final ETags etags;

    /**
     * @param alwaysServed the queues served even without tiers or a definition ({@code OMINIS_CALLCENTER_QUEUES})
     */
    public QueueRoutes(QueueDao queues, ReplicaReads reads, SwitchControl control, JsonBodies bodies,
            Supplier<List<String>> alwaysServed) {
        this.queues = queues;
        this.reads = reads;
        this.control = control;
        this.bodies = bodies;
        this.alwaysServed = alwaysServed;
        this.etags = new ETags(bodies);
    }

    public void register(ApiRouter router) {
        String tag = "callcenter";
        String one = "/v1/callcenter/queues/{name}";
        router.describe(QueueInput.class, "params", paramsSchema());
        router.describe(QueueView.class, "params", servedParamsSchema());
        router.describe(QueueDetail.class, "params", servedParamsSchema());
        router.describe(QueueWritten.class, "params", servedParamsSchema());
        router.add(Operation.json(GET, "/v1/callcenter/queues", tag,
                "Every queue callcenter.conf serves, by name: definitions and (\"defined\": false) queues named only in "
                        + "tiers, members or OMINIS_CALLCENTER_QUEUES, each with its live view", QueueList.class)
                .query("threshold", "integer", "service-level target in seconds for today's figures, default "
                        + CdrRoutes.DEFAULT_THRESHOLD), this::list);
        router.add(Operation.json(POST, "/v1/callcenter/queues", tag,
                        "Define a queue, then load it on its node (callcenter_config queue load); reload reports "
                                + "each node's outcome", QueueWritten.class)
                .withRequest(QueueInput.class).status(201).errors(409), this::create);
        router.add(Operation.json(GET, one, tag, "A queue: its definition (or the defaults it is served with) and "
                        + "its live view: callers waiting, longest wait, agents by status and state, today's figures",
                        QueueDetail.class)
                .query("threshold", "integer", "service-level target in seconds, default "
                        + CdrRoutes.DEFAULT_THRESHOLD)
                .errors(404), this::get);
        router.add(Operation.json(PUT, one, tag, "Replace a queue's definition (parameters left out take their "
                        + "defaults; a queue served with defaults becomes defined), then load or reload it",
                        QueueWritten.class)
                .withRequest(QueueInput.class).errors(404, 412)
                .answers(201, QueueWritten.class, "the queue had no definition (it was served with defaults) and is "
                        + "now defined"), this::put);
        router.add(Operation.json(PATCH, one, tag, "Change some parameters (JSON merge patch on params; null "
                        + "restores a parameter's default), then reload the queue", QueueWritten.class)
                .withRequest(QueueInput.class).errors(404, 412), this::patch);
        router.add(Operation.json(DELETE, one, tag, "Delete a definition, then unload the queue; a queue still named "
                        + "in tiers keeps being served with defaults. 409 while mod_callcenter still holds members of "
                        + "the queue (it would load the queue again for them)", QueueWritten.class).errors(404, 409),
                this::delete);
    }

    private void list(Context ctx) {
        int threshold = threshold(ctx);
        List<CallcenterQueue> served = queues.served(alwaysServed.get());
        List<String> names = served.stream().map(CallcenterQueue::name).toList();
        Map<String, QueueActivity.Snapshot> live = reads.read(d -> d.queueActivity().of(names,
                QueueActivity.today(), threshold));
        List<QueueDetail> out = new ArrayList<>(served.size());
        for (CallcenterQueue q : served) {
            out.add(detail(q, live.get(q.name())));
        }
        bodies.send(ctx, new QueueList(out));
    }

    private void get(Context ctx) {
        int threshold = threshold(ctx);
        CallcenterQueue q = servedQueue(name(ctx));
        ctx.header("ETag", etags.of(QueueView.of(q)));
        bodies.send(ctx, detail(q, reads.read(d -> d.queueActivity().of(q.name(), QueueActivity.today(), threshold))));
    }

    private void create(Context ctx) {
        QueueInput in = bodies.read(ctx, QueueInput.class);
        CallcenterQueue wanted = toQueue(in.name(), in, new EnumMap<>(QueueParameter.class));
        // a queue already served with defaults (named in tiers) may be loaded on the switch: reload it instead
        boolean served = queues.served(alwaysServed.get()).stream().anyMatch(q -> q.name().equals(wanted.name()));
        CallcenterQueue stored = queues.create(wanted);
        ctx.header("Location", "/v1/callcenter/queues/" + stored.name());
        answerWrite(ctx, 201, stored, served ? QueueCommand.RELOAD : QueueCommand.LOAD, null);
    }

    private void put(Context ctx) {
        String name = name(ctx);
        QueueInput in = bodies.read(ctx, QueueInput.class);
        if (in.name() != null && !in.name().equals(name)) {
            throw new InvalidValueException("name", "must match the name in the path");
        }
        CallcenterQueue wanted = toQueue(name, in, new EnumMap<>(QueueParameter.class));
        Optional<CallcenterQueue> existing = queues.find(name);
        if (existing.isEmpty()) {
            // a queue served with defaults (named in tiers) becomes defined; If-Match compares with what is served
            etags.require(ctx, QueueView.of(servedQueue(name)));
            CallcenterQueue stored = queues.create(wanted);
            answerWrite(ctx, 201, stored, QueueCommand.RELOAD, null);
            return;
        }
        CallcenterQueue stored = queues.modify(name, etags.guard(ctx, QueueView::of,
                current -> current.with(wanted.node(), wanted.params())));
        answerWrite(ctx, 200, stored, QueueCommand.RELOAD, existing.get().node());
    }

    private void patch(Context ctx) {
        String name = name(ctx);
        ObjectNode patch = bodies.patch(ctx, QueueInput.class);
        if (patch.hasNonNull("name") && !patch.get("name").asText().equals(name)) {
            throw new InvalidValueException("name", "must match the name in the path");
        }
        String[] oldNode = new String[1];
        CallcenterQueue stored = queues.modify(name, etags.guard(ctx, QueueView::of, current -> {
            oldNode[0] = current.node();
            Map<QueueParameter, String> params = new EnumMap<>(current.params());
            if (patch.has("params")) {
                JsonNode changes = patch.get("params");
                if (!changes.isObject()) {
                    throw new InvalidValueException("params", "must be a JSON object");
                }
                for (Map.Entry<String, JsonNode> change : changes.properties()) {
                    QueueParameter p = parameter(change.getKey());
                    String value = scalar(change.getKey(), change.getValue());
                    params.put(p, value == null ? p.defaultValue() : value);
                }
            }
            String node = patch.has("node") ? node(patch.get("node").isNull() ? null : patch.get("node").asText())
                    : current.node();
            return current.with(node, params);
        }));
        answerWrite(ctx, 200, stored, QueueCommand.RELOAD, oldNode[0]);
    }

    private void delete(Context ctx) {
        String name = name(ctx);
        CallcenterQueue removed = queues.delete(name).orElseThrow(() -> new NotFoundException("queue", name));
        answerWrite(ctx, 200, removed, QueueCommand.UNLOAD, null);
    }

    /**
     * Answers a committed write with the queue (its state before a delete) and {@code reload}: the command sent and
     * each node's outcome; {@code status} is {@code ok}, {@code failed} or {@code not_configured}. A queue moved to
     * another node is unloaded on the old one first.
     */
    private void answerWrite(Context ctx, int status, CallcenterQueue queue, QueueCommand command, String oldNode) {
        List<SwitchControl.NodeOutcome> nodes = new ArrayList<>();
        String target = queue.node();
        if (oldNode != null && !oldNode.equals(target)) {
            nodes.addAll(control.queueCommand(QueueCommand.UNLOAD, queue.name(), oldNode));
            command = QueueCommand.LOAD;
        }
        nodes.addAll(control.queueCommand(command, queue.name(), target));
        String outcome = !control.configured() ? "not_configured"
                : nodes.stream().allMatch(SwitchControl.NodeOutcome::ok) ? "ok" : "failed";
        QueueReload reload = new QueueReload("callcenter_config queue " + command.action() + " " + queue.name(),
                outcome, nodes);
        if (command != QueueCommand.UNLOAD) {
            ctx.header("ETag", etags.of(QueueView.of(queue)));
        }
        ctx.status(status);
        bodies.send(ctx, QueueWritten.of(QueueView.of(queue), reload));
    }

    /** The definition of {@code name}, or its defaults when FreeSWITCH is served the queue without one. */
    private CallcenterQueue servedQueue(String name) {
        Optional<CallcenterQueue> defined = queues.find(name);
        if (defined.isPresent()) {
            return defined.get();
        }
        return queues.served(alwaysServed.get()).stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("queue", name));
    }

    private CallcenterQueue toQueue(String name, QueueInput in, Map<QueueParameter, String> params) {
        if (in.params() != null && !in.params().isNull()) {
            if (!in.params().isObject()) {
                throw new InvalidValueException("params", "must be a JSON object");
            }
            for (Map.Entry<String, JsonNode> e : in.params().properties()) {
                QueueParameter p = parameter(e.getKey());
                String value = scalar(e.getKey(), e.getValue());
                params.put(p, value == null ? p.defaultValue() : value);
            }
        }
        return new CallcenterQueue(name, node(in.node()), params, null, null).validate();
    }

    /** A node must be one this server steers, when it steers any: otherwise no load would ever reach it. */
    private String node(String node) {
        List<String> known = control.nodeNames();
        if (node != null && !known.isEmpty() && !known.contains(node)) {
            throw new InvalidValueException("node", "must be one of the nodes of OMINIS_FREESWITCH_NODES ("
                    + String.join(", ", known) + ")");
        }
        return node;
    }

    private static QueueParameter parameter(String name) {
        return QueueParameter.byName(name).orElseThrow(() -> new InvalidValueException("params." + name,
                "is not a queue parameter mod_callcenter 1.10 reads"));
    }

    /** A parameter's JSON value as the text callcenter.conf carries; null for JSON null. */
    private static String scalar(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw new InvalidValueException("params." + name, "must be a string, a whole number or a boolean");
    }

    private static QueueDetail detail(CallcenterQueue q, QueueActivity.Snapshot live) {
        QueueView v = QueueView.of(q);
        return new QueueDetail(v.name(), v.defined(), v.node(), v.params(), v.createdAt(), v.updatedAt(), live);
    }

    private static int threshold(Context ctx) {
        return QueryParams.integer(ctx, "threshold", CdrRoutes.DEFAULT_THRESHOLD, 0, CdrRoutes.MAX_THRESHOLD);
    }

    private static String name(Context ctx) {
        return FieldCheck.matches("name", ctx.pathParam("name"), IvrActionType.QUEUE_NAME,
                "must be a queue name such as support@default");
    }

    /** The OpenAPI schema of {@code params}: each parameter with FreeSWITCH's default and its accepted values. */
    /**
     * The parameters as a queue is served: every one, as the text callcenter.conf carries, null where FreeSWITCH's
     * default has no value.
     */
    static Map<String, Object> servedParamsSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (QueueParameter p : QueueParameter.values()) {
            properties.put(p.fsName(), Map.of("type", List.of("string", "null"), "description", p.description()));
        }
        return Map.of("type", "object", "additionalProperties", false, "properties", properties,
                "required", List.copyOf(properties.keySet()),
                "description", "mod_callcenter's queue parameters as served in callcenter.conf (text)");
    }

    static Map<String, Object> paramsSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (QueueParameter p : QueueParameter.values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            switch (p.kind()) {
                case SECONDS -> {
                    s.put("type", "integer");
                    s.put("minimum", 0);
                    s.put("maximum", 86_400);
                }
                case BOOLEAN -> s.put("type", "boolean");
                default -> s.put("type", "string");
            }
            if (!p.allowed().isEmpty()) {
                s.put("enum", p.allowed());
            }
            if (p.defaultValue() != null) {
                s.put("default", p.kind() == QueueParameter.Kind.SECONDS ? (Object) Integer.valueOf(p.defaultValue())
                        : p.kind() == QueueParameter.Kind.BOOLEAN ? (Object) Boolean.valueOf(p.defaultValue())
                        : p.defaultValue());
            }
            s.put("description", p.description());
            properties.put(p.fsName(), s);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.put("description", "mod_callcenter's queue parameters (callcenter.conf names) with FreeSWITCH 1.10.12's "
                + "defaults; no value may contain '${'");
        schema.put("properties", properties);
        return schema;
    }
}

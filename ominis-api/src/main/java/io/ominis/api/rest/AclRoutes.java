package io.ominis.api.rest;

import io.ominis.xmlrpc.SwitchControl;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ominis.core.FieldCheck;
import io.ominis.core.NotFoundException;
import io.ominis.core.UnavailableException;
import io.ominis.core.WireValue;
import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import io.ominis.db.AclDao;
import io.ominis.api.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/acl}: the IP access-control lists FreeSWITCH reads as {@code acl.conf}. Every write tells
 * {@link SwitchControl#aclChanged()}, so the nodes reload shortly; {@code POST /v1/acl/reload} reloads them now and
 * answers with each node's outcome. CIDRs are stored canonical, so {@code 10.0.0.1} and {@code 10.0.0.1/32} are the
 * same entry and the second one in a list is refused (409).
 */
public final class AclRoutes {

    /** Longest a reload request waits for the nodes before answering 503. */
    static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);

    /** An entry as clients send it; the list defaults to {@code trusted_users}, the permission to {@code allow}. */
    @NullMarked
    public record AclInput(@Nullable String listName, String cidr,
            @OneOf(AclPermission.class) @Nullable String permission, @Nullable String description) {
    }

    /**
     * One page of entries, by list and then in the order they were added (FreeSWITCH's order); pass
     * {@code next_cursor} back as {@code cursor} for the next; {@code total} only with {@code total=true}.
     */
    @NullMarked
    public record AclPage(List<AclView> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    /** An entry as the API shows it; {@code id} is its address, {@code /v1/acl/{id}}. */
    @NullMarked
    public record AclView(
            int id,
            String listName,
            String cidr,
            @OneOf(AclPermission.class) String permission,
            @Nullable String description,
            Instant createdAt,
            Instant updatedAt) {

        static AclView of(AclEntry e) {
            return new AclView(e.id(), e.listName(), e.cidr(), e.permission().wire(), e.description(),
                    e.createdAt(), e.updatedAt());
        }
    }

    /**
     * What became of the {@code reloadacl} that carries a write.
     *
     * @param status {@code ok}, {@code failed} (see {@code nodes}), {@code pending} (no answer in time) or
     *               {@code not_configured}
     * @param detail what to do when {@code pending}
     */
    @NullMarked
    public record ReloadReport(String status, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String detail,
            List<SwitchControl.NodeOutcome> nodes) {
    }

    /** The answer to a create, replace or change: the entry as stored, and its reload. */
    @NullMarked
    public record AclWritten(int id, String listName, String cidr, @OneOf(AclPermission.class) String permission,
            @Nullable String description, Instant createdAt, Instant updatedAt, ReloadReport reload) {

        static AclWritten of(AclView v, ReloadReport reload) {
            return new AclWritten(v.id(), v.listName(), v.cidr(), v.permission(), v.description(), v.createdAt(),
                    v.updatedAt(), reload);
        }
    }

    /** The answer to a delete: the reload that carries it. */
    @NullMarked
    public record AclDeleted(ReloadReport reload) {
    }

    /** What {@code reloadacl} did on each FreeSWITCH node. */
    @NullMarked
    public record AclReload(List<SwitchControl.NodeOutcome> nodes) {
    }

    private final AclDao acl;
    private final JsonBodies bodies;
    private final SwitchControl switchControl;
    private final Problem problem;
    private final ETags etags;

    /** @param problem writes the 502 answer, which carries the nodes' outcomes beside the usual problem fields */
    public AclRoutes(AclDao acl, JsonBodies bodies, SwitchControl switchControl, Problem problem) {
        this.acl = acl;
        this.bodies = bodies;
        this.switchControl = switchControl;
        this.problem = problem;
        this.etags = new ETags(bodies);
    }

    public void register(ApiRouter router) {
        String tag = "acl";
        String entry = "/v1/acl/{id}";
        router.add(Operation.json(GET, "/v1/acl", tag, "List ACL entries by list, in FreeSWITCH order (keyset pages)",
                        AclPage.class)
                .query("list", "string", "only this list, e.g. trusted_users")
                .query("limit", "integer", "entries per page, 1-" + LiveStateRoutes.MAX_LIMIT + ", default "
                        + LiveStateRoutes.DEFAULT_LIMIT)
                .query("cursor", "string", "next_cursor of the previous page")
                .query("total", "boolean", "true adds total, the count of every match"), this::list);
        router.add(Operation.json(POST, "/v1/acl", tag, "Add an entry to a list", AclWritten.class)
                .withRequest(AclInput.class).status(201).errors(409), this::create);
        router.add(Operation.json(POST, "/v1/acl/reload", tag,
                        "Reload ACLs on every FreeSWITCH node now; 502 with each node's outcome if one failed",
                        AclReload.class)
                .errors(502, 503), this::reload);
        router.add(Operation.json(GET, entry, tag, "Get an entry", AclView.class).errors(404), this::get);
        router.add(Operation.json(PUT, entry, tag, "Replace an entry", AclWritten.class)
                .withRequest(AclInput.class).errors(404, 409, 412), this::put);
        router.add(Operation.json(PATCH, entry, tag, "Change some fields (JSON merge patch; null clears a field)",
                        AclWritten.class)
                .withRequest(AclInput.class).errors(404, 409, 412), this::patch);
        router.add(Operation.json(DELETE, entry, tag, "Delete an entry; the body reports the nodes' reload",
                AclDeleted.class).errors(404), this::delete);
    }

    private void list(Context ctx) {
        String list = QueryParams.string(ctx, "list");
        if (list != null) {
            FieldCheck.matches("list", list, AclEntry.LIST_NAME, "must be an ACL list name");
        }
        List<String> after = Cursors.decode("acl", QueryParams.string(ctx, "cursor"), 2);
        int limit = QueryParams.limit(ctx, LiveStateRoutes.DEFAULT_LIMIT, LiveStateRoutes.MAX_LIMIT);
        io.ominis.core.Page<AclEntry, List<String>> page = acl.page(list, after, limit);
        bodies.send(ctx, new AclPage(page.items().stream().map(AclView::of).toList(),
                Cursors.encode("acl", page.next()), QueryParams.flag(ctx, "total") ? acl.count(list) : null));
    }

    private void create(Context ctx) {
        AclEntry stored = acl.create(toEntry(bodies.read(ctx, AclInput.class), null));
        ctx.header("Location", "/v1/acl/" + stored.id());
        answerWrite(ctx, 201, AclView.of(stored));
    }

    /**
     * Answers a committed ACL write with the entry (null for a delete) and {@code reload}: each node's outcome of the
     * {@code reloadacl} that carries the change. The status stays that of the write (201, 200): the row is stored
     * whatever a node said, retrying would only conflict, and a node that failed picks the change up on its next
     * reload ({@code POST /v1/acl/reload}); {@code reload.status} says {@code ok}, {@code failed} (see
     * {@code reload.nodes}), {@code pending} (no answer within the reload timeout) or {@code not_configured}.
     */
    private void answerWrite(Context ctx, int status, AclView view) {
        boolean configured = switchControl.configured();
        CompletableFuture<List<SwitchControl.NodeOutcome>> reload = switchControl.aclChangedAndReloaded()
                .orTimeout(RELOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ctx.future(() -> reload.handle((nodes, failure) -> {
            List<SwitchControl.NodeOutcome> outcomes = nodes == null ? List.of() : nodes;
            ReloadReport report;
            if (!configured) {
                report = new ReloadReport("not_configured", null, outcomes);
            } else if (failure != null) {
                report = new ReloadReport("pending", "the FreeSWITCH nodes did not confirm within "
                        + RELOAD_TIMEOUT.toSeconds() + " s; POST /v1/acl/reload to see their outcome", outcomes);
            } else {
                report = new ReloadReport(outcomes.stream().allMatch(SwitchControl.NodeOutcome::ok) ? "ok"
                        : "failed", null, outcomes);
            }
            if (view != null) {
                ctx.header("ETag", etags.of(view)); // of the entry, without the reload report
            }
            bodies.send(ctx.status(status), view == null ? new AclDeleted(report) : AclWritten.of(view, report));
            return null;
        }));
    }

    private void get(Context ctx) {
        etags.send(ctx, AclView.of(acl.get(id(ctx))));
    }

    private void put(Context ctx) {
        AclInput input = bodies.read(ctx, AclInput.class);
        write(ctx, current -> toEntry(input, current.id()));
    }

    private void patch(Context ctx) {
        ObjectNode patch = bodies.patch(ctx, AclInput.class);
        write(ctx, current -> toEntry(bodies.merge(new AclInput(current.listName(), current.cidr(),
                current.permission().wire(), current.description()), patch, AclInput.class), current.id()));
    }

    /** Applies {@code change} to the entry of the path under its row lock, after the {@code If-Match} check. */
    private void write(Context ctx, UnaryOperator<AclEntry> change) {
        AclEntry stored = acl.modify(id(ctx), etags.guard(ctx, AclView::of, change));
        answerWrite(ctx, 200, AclView.of(stored));
    }

    private void delete(Context ctx) {
        int id = id(ctx);
        if (!acl.delete(id)) {
            throw new NotFoundException("acl entry", String.valueOf(id));
        }
        answerWrite(ctx, 200, null);
    }

    private void reload(Context ctx) {
        if (!switchControl.configured()) {
            throw new UnavailableException("no FreeSWITCH node is configured (set OMINIS_FREESWITCH_NODES), "
                    + "so there is nothing to reload");
        }
        CompletableFuture<List<SwitchControl.NodeOutcome>> outcomes = switchControl.reloadAcl()
                .orTimeout(RELOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ctx.future(() -> outcomes.handle((nodes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    throw new UnavailableException("the FreeSWITCH nodes did not answer within "
                            + RELOAD_TIMEOUT.toSeconds() + " s");
                }
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            }
            answer(ctx, nodes);
            return null;
        }));
    }

    private void answer(Context ctx, List<SwitchControl.NodeOutcome> nodes) {
        long failed = nodes.stream().filter(n -> !n.ok()).count();
        if (failed == 0) {
            bodies.send(ctx, new AclReload(nodes));
            return;
        }
        ObjectNode body = problem.body(502, "Bad gateway", failed + " of " + nodes.size()
                + " FreeSWITCH nodes failed to reload ACLs; see nodes", null);
        body.set("nodes", bodies.mapperTree(nodes));
        problem.send(ctx, body);
    }

    /** The entry id in the path; anything but a number names no entry. */
    private static int id(Context ctx) {
        String raw = ctx.pathParam("id");
        if (raw.matches("[0-9]{1,9}")) {
            return Integer.parseInt(raw);
        }
        throw new NotFoundException("acl entry", JsonBodies.shorten(raw));
    }

    private static AclEntry toEntry(AclInput in, Integer id) {
        AclPermission permission = in.permission() == null ? null
                : WireValue.parse(AclPermission.class, in.permission(), "permission");
        return new AclEntry(id, in.listName(), in.cidr(), permission, in.description(), null, null).validate();
    }
}

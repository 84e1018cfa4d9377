package io.ominis.api.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.directory.Domain;
import io.ominis.db.DomainDao;
import java.time.Instant;
import java.util.List;

/**
 * {@code /v1/domains}: the directory domains FreeSWITCH is served users for. With none, every domain is served; with
 * some, a directory request for another domain (or digest realm) gets the not-found document. Changes reach every
 * server's directory through the change notifications of {@code domains}; {@code changed} runs after each write of
 * this server so its own answers follow at once.
 */
public final class DomainRoutes {

    /** A domain as clients send it; the name is normalized to lower case. */
    public record DomainInput(String name, String description) {
    }

    /**
     * A domain as the API shows it.
     *
     * @param extensionsWithoutHash extensions whose password is not kept and that have no digest hash for this domain
     *                              (they cannot register in it until their password is set again)
     */
    public record DomainView(String name, String description, long extensionsWithoutHash, Instant createdAt,
            Instant updatedAt) {
    }

    /** Every served domain, in name order. */
    public record DomainList(List<DomainView> items) {
    }

    private final DomainDao domains;
    private final JsonBodies bodies;
    private final ETags etags;
    private final Runnable changed;

    /** @param changed runs after every committed write */
    public DomainRoutes(DomainDao domains, JsonBodies bodies, Runnable changed) {
        this.domains = domains;
        this.bodies = bodies;
        this.etags = new ETags(bodies);
        this.changed = changed;
    }

    public void register(ApiRouter router) {
        String tag = "domains";
        String one = "/v1/domains/{name}";
        router.add(Operation.json(GET, "/v1/domains", tag,
                "List the served directory domains (none: every domain is served)", DomainList.class), this::list);
        router.add(Operation.json(POST, "/v1/domains", tag, "Serve a domain", DomainView.class)
                .withRequest(DomainInput.class).status(201).errors(409), this::create);
        router.add(Operation.json(GET, one, tag, "Get a served domain", DomainView.class).errors(404), this::get);
        router.add(Operation.json(PUT, one, tag, "Replace a domain's description (the name cannot change)",
                DomainView.class).withRequest(DomainInput.class).errors(404, 412), this::put);
        router.add(Operation.json(PATCH, one, tag, "Change the description (JSON merge patch)", DomainView.class)
                .withRequest(DomainInput.class).errors(404, 412), this::patch);
        router.add(Operation.json(DELETE, one, tag,
                "Stop serving a domain; the digest hashes kept for it are deleted with it", null)
                .status(204).errors(404), this::delete);
    }

    private DomainView view(Domain d) {
        return new DomainView(d.name(), d.description(), domains.extensionsWithoutHash(d.name()), d.createdAt(),
                d.updatedAt());
    }

    private void list(Context ctx) {
        bodies.send(ctx, new DomainList(domains.list().stream().map(this::view).toList()));
    }

    private void create(Context ctx) {
        DomainInput in = bodies.read(ctx, DomainInput.class);
        Domain stored = domains.create(new Domain(QueryParams.key("name", in.name(), null), in.description(), null,
                null));
        changed.run();
        bodies.send(ctx.status(201).header("Location", "/v1/domains/" + stored.name()), view(stored));
    }

    private void get(Context ctx) {
        send(ctx, domains.get(ctx.pathParam("name")));
    }

    /** The view, with the ETag of the stored domain alone: the count beside it changes with other writers. */
    private void send(Context ctx, Domain d) {
        bodies.send(ctx.header("ETag", etags.of(d)), view(d));
    }

    private void put(Context ctx) {
        DomainInput in = bodies.read(ctx, DomainInput.class);
        write(ctx, current -> new Domain(in.name() == null ? current.name() : in.name(), in.description(), null,
                null));
    }

    private void patch(Context ctx) {
        ObjectNode patch = bodies.patch(ctx, DomainInput.class);
        write(ctx, current -> {
            DomainInput merged = bodies.merge(new DomainInput(current.name(), current.description()), patch,
                    DomainInput.class);
            if (merged.name() == null) {
                throw new InvalidValueException("name", "cannot be removed");
            }
            return new Domain(merged.name(), merged.description(), null, null);
        });
    }

    private void write(Context ctx, java.util.function.UnaryOperator<Domain> change) {
        Domain stored = domains.modify(ctx.pathParam("name"), etags.guard(ctx, d -> d, change));
        changed.run();
        send(ctx, stored);
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (!domains.delete(name)) {
            throw new NotFoundException("domain", name);
        }
        changed.run();
        ctx.status(204);
    }
}

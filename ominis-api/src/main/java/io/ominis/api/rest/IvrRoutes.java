package io.ominis.api.rest;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.WireValue;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrStatus;
import io.ominis.core.ivr.IvrTargetPolicy;
import io.ominis.db.Database;
import io.ominis.db.IvrDao;
import io.ominis.db.secrets.IvrApiKeys;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/ivrs} and everything below it (menus and their options, see {@link IvrMenuRoutes} and
 * {@link IvrOptionRoutes}).
 *
 * <p>The OpenAI key is write-only: accepted on create, PUT and PATCH, stored sealed by {@link IvrApiKeys}, shown only
 * as {@code openai_api_key_set} and a masked {@code openai_api_key_hint}. On PUT and PATCH an absent key keeps the
 * stored one, {@code null} removes it (the IVR then uses the deployment's default key). {@code status},
 * {@code pod_name} and {@code service_name} describe the IVR's pod and are read-only here: whoever runs the pods
 * records them ({@link IvrDao#setStatus}).
 *
 * <p>PUT and PATCH read the IVR under its row lock and write it in the same transaction, so concurrent changes to
 * one IVR queue up and none loses another's fields; GET sends an {@code ETag} and a write with a stale
 * {@code If-Match} is refused (412, see {@link ETags}).
 */
public final class IvrRoutes {

    /**
     * An IVR as clients send it; {@link #toString()} hides the key.
     *
     * @param rootMenu the menu_id {@code ivr <name>} starts with; must be one of the IVR's menus (the first menu added
     *                 becomes the root, so a new IVR leaves it out); null keeps the current root
     */
    @NullMarked
    public record IvrInput(
            String name,
            @Nullable String description,
            @Nullable String openaiApiKey,
            @Nullable String defaultLanguage,
            @Nullable String defaultVoice,
            @Nullable String ttsModel,
            @Nullable String rootMenu) {

        @Override
        public String toString() {
            return "IvrInput[name=" + name + ", openaiApiKey=" + (openaiApiKey == null ? "null" : "****") + "]";
        }
    }

    /**
     * An IVR as the API shows it. {@code menus} is present only when asked for with {@code ?include=menus}.
     *
     * @param openaiApiKeySet  whether the IVR has a key of its own
     * @param openaiApiKeyHint the key's first 3 and last 4 characters, e.g. {@code sk-…abcd}; null without a key, or
     *                         for a key stored by another writer than this API
     */
    @NullMarked
    public record IvrView(
            String name,
            @Nullable String description,
            boolean openaiApiKeySet,
            @Nullable String openaiApiKeyHint,
            @Nullable String defaultLanguage,
            @Nullable String defaultVoice,
            @Nullable String ttsModel,
            @OneOf(IvrStatus.class) @Nullable String status,
            @Nullable String podName,
            @Nullable String serviceName,
            @Nullable String rootMenu,
            Instant createdAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<IvrMenuRoutes.MenuView> menus) {

        static IvrView of(Ivr i, List<IvrMenuRoutes.MenuView> menus) {
            return new IvrView(i.name(), i.description(), i.openaiApiKey() != null,
                    IvrApiKeys.hint(i.openaiApiKey()), i.defaultLanguage(), i.defaultVoice(), i.ttsModel(),
                    i.status().wire(), i.podName(), i.serviceName(), i.rootMenu(), i.createdAt(), i.updatedAt(),
                    menus);
        }
    }

    /**
     * One page of IVRs; pass {@code next_cursor} back as {@code cursor} for the next. {@code total} counts every match
     * and is there only with {@code total=true}.
     */
    @NullMarked
    public record IvrPage(List<IvrView> items, @Nullable String nextCursor, @Nullable Long total) {
    }

    private final Database db;
    private final JsonBodies bodies;
    private final IvrApiKeys keys;
    private final ETags etags;
    private final IvrTargetPolicy targets;

    public IvrRoutes(Database db, JsonBodies bodies, IvrApiKeys keys, IvrTargetPolicy targets) {
        this.targets = targets;
        this.db = db;
        this.bodies = bodies;
        this.keys = keys;
        this.etags = new ETags(bodies);
    }

    /** Registers the IVR routes and those of menus and options. */
    public void register(ApiRouter router) {
        String tag = "ivrs";
        String path = "/v1/ivrs/{name}";
        router.add(Operation.json(GET, "/v1/ivrs", tag, "List IVRs (keyset pages)", IvrPage.class)
                .query("status", IvrStatus.class, "the IVR status")
                .query("limit", "integer", "rows per page, 1-" + IvrDao.MAX_LIMIT + ", default 100")
                .query("cursor", "string", "next_cursor of the previous page")
                .query("total", "boolean", "true adds total, the count of every match"), this::list);
        router.add(Operation.json(POST, "/v1/ivrs", tag, "Create an IVR", IvrView.class)
                .withRequest(IvrInput.class).status(201).errors(409), this::create);
        router.add(Operation.json(GET, path, tag, "Get an IVR; with include=menus, its menus and options too",
                        IvrView.class)
                .query("include", List.of("menus"), "'menus' for the whole tree, read in one snapshot")
                .errors(404), this::get);
        router.add(Operation.json(PUT, path, tag,
                        "Replace an IVR (an absent openai_api_key keeps the stored one, null removes it)",
                        IvrView.class)
                .withRequest(IvrInput.class).errors(404, 412), this::put);
        router.add(Operation.json(PATCH, path, tag, "Change some fields (JSON merge patch; null clears a field)",
                        IvrView.class)
                .withRequest(IvrInput.class).errors(404, 412), this::patch);
        router.add(Operation.json(DELETE, path, tag, "Delete an IVR with its menus and options", null)
                .status(204).errors(404), this::delete);
        new IvrMenuRoutes(db, bodies, etags).register(router);
        new IvrOptionRoutes(db, bodies, etags, targets).register(router);
    }

    private void list(Context ctx) {
        String status = QueryParams.string(ctx, "status");
        IvrDao.Query query = new IvrDao.Query(
                status == null ? null : WireValue.parse(IvrStatus.class, status, "status"),
                Cursors.decode(QueryParams.string(ctx, "cursor")),
                QueryParams.limit(ctx, 100, IvrDao.MAX_LIMIT));
        Page<Ivr, String> page = db.ivrs().list(query);
        Long total = QueryParams.flag(ctx, "total") ? db.ivrs().countMatching(query) : null;
        bodies.send(ctx, new IvrPage(page.items().stream().map(i -> IvrView.of(i, null)).toList(),
                Cursors.encode(page.next()), total));
    }

    private void create(Context ctx) {
        IvrInput input = bodies.read(ctx, IvrInput.class);
        Ivr ivr = toIvr(input, null, null);
        if (input.openaiApiKey() != null) {
            ivr = ivr.withOpenaiApiKey(keys.seal(ivr.name(), input.openaiApiKey()));
        }
        Ivr stored = db.ivrs().create(ivr);
        bodies.send(ctx.status(201).header("Location", "/v1/ivrs/" + stored.name()), IvrView.of(stored, null));
    }

    private void get(Context ctx) {
        String name = ctx.pathParam("name");
        String include = QueryParams.string(ctx, "include");
        if (include == null) {
            etags.send(ctx, IvrView.of(db.ivrs().get(name), null));
            return;
        }
        if (!include.equals("menus")) {
            throw new InvalidValueException("include", "must be 'menus', got '" + JsonBodies.shorten(include) + "'");
        }
        IvrDefinition tree = db.ivrs().load(name).orElseThrow(() -> new NotFoundException("ivr", name));
        bodies.send(ctx, IvrView.of(tree.ivr(), tree.menus().stream()
                .map(m -> IvrMenuRoutes.MenuView.of(m, tree.optionsOf(m))).toList()));
    }

    private void put(Context ctx) {
        JsonNode body = bodies.tree(ctx);
        IvrInput input = bodies.convert(body, IvrInput.class, "");
        write(ctx, current -> replace(current, input, body.has(IvrApiKeys.FIELD)));
    }

    private void patch(Context ctx) {
        ObjectNode patch = bodies.patch(ctx, IvrInput.class);
        // the stored key cannot be shown as input; replace() keeps it unless the patch names the field
        write(ctx, current -> replace(current, bodies.merge(inputOf(current), patch, IvrInput.class),
                patch.has(IvrApiKeys.FIELD)));
    }

    /** Applies {@code change} to the IVR of the path under its row lock, after the {@code If-Match} check. */
    private void write(Context ctx, UnaryOperator<Ivr> change) {
        Ivr stored = db.ivrs().modify(ctx.pathParam("name"), etags.guard(ctx, i -> IvrView.of(i, null), change));
        etags.send(ctx, IvrView.of(stored, null));
    }

    /**
     * {@code current} replaced by {@code input}; the stored key is kept unless {@code keyGiven}, and status and pod
     * are always kept.
     */
    private Ivr replace(Ivr current, IvrInput input, boolean keyGiven) {
        String name = current.name();
        Ivr ivr = toIvr(input, name, current);
        if (!keyGiven) {
            return ivr.withOpenaiApiKey(current.openaiApiKey());
        }
        return input.openaiApiKey() == null ? ivr : ivr.withOpenaiApiKey(keys.seal(name, input.openaiApiKey()));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (!db.ivrs().delete(name)) {
            throw new NotFoundException("ivr", name);
        }
        ctx.status(204);
    }

    private static IvrInput inputOf(Ivr i) {
        return new IvrInput(i.name(), i.description(), null, i.defaultLanguage(), i.defaultVoice(), i.ttsModel(),
                i.rootMenu());
    }

    /**
     * The IVR {@code in} describes, validated, without a key.
     *
     * @param pathName the name in the path, which a body may repeat but not contradict; null on create
     * @param current  the stored IVR whose pod fields are kept; null on create
     */
    private static Ivr toIvr(IvrInput in, String pathName, Ivr current) {
        String name = QueryParams.key("name", in.name(), pathName);
        return new Ivr(name, in.description(), null, in.defaultLanguage(), in.defaultVoice(), in.ttsModel(),
                current == null ? null : current.status(), current == null ? null : current.podName(),
                current == null ? null : current.serviceName(), in.rootMenu(), null, null).validate();
    }
}

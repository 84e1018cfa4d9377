package io.ominis.server.api;

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
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.WireValue;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.PasswordPolicy;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.db.ExtensionDao;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/extensions}: the SIP directory. Passwords are write-only: accepted on create, PUT and PATCH, never
 * returned. Changes reach FreeSWITCH through the directory cache's change notifications.
 */
public final class ExtensionRoutes {

    /** Most rows one bulk create may carry. */
    public static final int MAX_BULK = 1000;

    /**
     * An extension as clients send it. On PUT, an absent password keeps the current one.
     */
    @NullMarked
    public record ExtensionInput(
            String number,
            @Nullable String password,
            @Nullable String displayName,
            @Nullable String email,
            @Nullable String department,
            @OneOf(ExtensionStatus.class) @Nullable String status,
            @Nullable JsonNode callForwardingJson,
            @Nullable JsonNode voicemailJson,
            @Nullable JsonNode featuresJson) {
    }

    /** An extension as the API shows it: everything but the password. */
    @NullMarked
    public record ExtensionView(
            String number,
            @Nullable String displayName,
            @Nullable String email,
            @Nullable String department,
            @OneOf(ExtensionStatus.class) String status,
            @Nullable JsonNode callForwardingJson,
            @Nullable JsonNode voicemailJson,
            @Nullable JsonNode featuresJson,
            Instant createdAt,
            Instant updatedAt) {

        static ExtensionView of(Extension e) {
            return new ExtensionView(e.number(), e.displayName(), e.email(), e.department(), e.status().wire(),
                    e.callForwarding(), e.voicemail(), e.features(), e.createdAt(), e.updatedAt());
        }
    }

    /** One page of extensions; pass {@code next_cursor} back as {@code cursor} for the next. */
    @NullMarked
    public record ExtensionPage(List<ExtensionView> items, @Nullable String nextCursor) {
    }

    private final ExtensionDao extensions;
    private final JsonBodies bodies;
    private final Consumer<String> changed;
    private final ETags etags;
    private final PasswordPolicy passwords;

    /**
     * @param changed told the number of every extension written, e.g. to flush FreeSWITCH's own cache of it
     */
    public ExtensionRoutes(ExtensionDao extensions, JsonBodies bodies, Consumer<String> changed) {
        this(extensions, bodies, changed, PasswordPolicy.DEFAULT);
    }

    /** @param passwords what a password set through the API must meet ({@code OMINIS_SIP_PASSWORD_*}) */
    public ExtensionRoutes(ExtensionDao extensions, JsonBodies bodies, Consumer<String> changed,
            PasswordPolicy passwords) {
        this.passwords = passwords;
        this.extensions = extensions;
        this.bodies = bodies;
        this.changed = changed;
        this.etags = new ETags(bodies);
    }

    public void register(ApiRouter router) {
        String tag = "extensions";
        router.add(Operation.json(GET, "/v1/extensions", tag, "List extensions (keyset pages)", ExtensionPage.class)
                .query("status", ExtensionStatus.class, "the extension status")
                .query("department", "string", "exact department")
                .query("q", "string", "case-insensitive text in number, display name or email")
                .query("limit", "integer", "rows per page, 1-" + ExtensionDao.MAX_LIMIT + ", default 100")
                .query("cursor", "string", "next_cursor of the previous page"), this::list);
        router.add(Operation.json(POST, "/v1/extensions", tag,
                        "Create an extension, or several at once (all or nothing) from a JSON array", ExtensionView.class)
                .withRequest(ExtensionInput.class).orRequestList().status(201).errors(409), this::create);
        router.add(Operation.json(GET, "/v1/extensions/{number}", tag, "Get an extension", ExtensionView.class)
                .errors(404), this::get);
        router.add(Operation.json(PUT, "/v1/extensions/{number}", tag,
                        "Replace an extension (an absent password keeps the current one)", ExtensionView.class)
                .withRequest(ExtensionInput.class).errors(404, 412), this::put);
        router.add(Operation.json(PATCH, "/v1/extensions/{number}", tag,
                        "Change some fields (JSON merge patch; null clears a field), e.g. rotate the password",
                        ExtensionView.class)
                .withRequest(ExtensionInput.class).errors(404, 412), this::patch);
        router.add(Operation.json(DELETE, "/v1/extensions/{number}", tag, "Delete an extension", null)
                .status(204).errors(404), this::delete);
    }

    private void list(Context ctx) {
        String status = QueryParams.string(ctx, "status");
        ExtensionDao.Query query = new ExtensionDao.Query(
                status == null ? null : WireValue.parse(ExtensionStatus.class, status, "status"),
                QueryParams.string(ctx, "department"),
                QueryParams.string(ctx, "q"),
                Cursors.decode(QueryParams.string(ctx, "cursor")),
                QueryParams.limit(ctx, 100, ExtensionDao.MAX_LIMIT));
        Page<Extension, String> page = extensions.list(query);
        bodies.send(ctx, new ExtensionPage(page.items().stream().map(ExtensionView::of).toList(), Cursors.encode(page.next())));
    }

    private void create(Context ctx) {
        JsonNode body = bodies.tree(ctx);
        if (body.isArray()) {
            if (body.size() == 0 || body.size() > MAX_BULK) {
                throw new InvalidValueException("body", "a bulk create takes 1 to " + MAX_BULK + " extensions");
            }
            List<Extension> batch = new ArrayList<>(body.size());
            List<RejectedRowsException.RowError> errors = new ArrayList<>();
            for (int i = 0; i < body.size(); i++) {
                try {
                    batch.add(strong(toExtension(bodies.convert(body.get(i), ExtensionInput.class, ""), null, null),
                            null));
                } catch (InvalidValueException e) {
                    errors.add(new RejectedRowsException.RowError(i, e.field(), e.reason()));
                }
            }
            if (!errors.isEmpty()) {
                throw new RejectedRowsException(errors);
            }
            List<Extension> stored = extensions.createAll(batch);
            stored.forEach(e -> changed.accept(e.number()));
            bodies.send(ctx.status(201), stored.stream().map(ExtensionView::of).toList());
            return;
        }
        Extension stored = extensions.create(strong(toExtension(bodies.convert(body, ExtensionInput.class, ""), null,
                null), null));
        changed.accept(stored.number());
        bodies.send(ctx.status(201).header("Location", "/v1/extensions/" + stored.number()), ExtensionView.of(stored));
    }

    private void get(Context ctx) {
        etags.send(ctx, ExtensionView.of(extensions.get(ctx.pathParam("number"))));
    }

    private void put(Context ctx) {
        String number = ctx.pathParam("number");
        ExtensionInput input = bodies.read(ctx, ExtensionInput.class);
        write(ctx, current -> strong(toExtension(input, number, current.password()), current.password()));
    }

    private void patch(Context ctx) {
        String number = ctx.pathParam("number");
        ObjectNode patch = bodies.patch(ctx, ExtensionInput.class);
        write(ctx, current -> {
            ExtensionInput merged = bodies.merge(inputOf(current), patch, ExtensionInput.class);
            if (merged.password() == null) {
                throw new InvalidValueException("password", "cannot be removed; send a new one to rotate it");
            }
            return strong(toExtension(merged, number, null), current.password());
        });
    }

    /**
     * Applies {@code change} to the extension of the path under its row lock, after the {@code If-Match} check.
     */
    private void write(Context ctx, UnaryOperator<Extension> change) {
        String number = ctx.pathParam("number");
        Extension stored = extensions.modify(number, etags.guard(ctx, ExtensionView::of, change));
        changed.accept(number);
        etags.send(ctx, ExtensionView.of(stored));
    }

    private void delete(Context ctx) {
        String number = ctx.pathParam("number");
        if (!extensions.delete(number)) {
            throw new NotFoundException("extension", number);
        }
        changed.accept(number);
        ctx.status(204);
    }

    private static ExtensionInput inputOf(Extension e) {
        return new ExtensionInput(e.number(), e.password(), e.displayName(), e.email(), e.department(),
                e.status().wire(), e.callForwarding(), e.voicemail(), e.features());
    }

    /**
     * @param pathNumber the number in the path, which a body may repeat but not contradict; null on create
     * @param keepPassword the password to keep when the body has none; null when one is required
     */
    private Extension toExtension(ExtensionInput in, String pathNumber, String keepPassword) {
        String number = QueryParams.key("number", in.number(), pathNumber);
        String password = in.password() != null ? in.password() : keepPassword;
        if (password == null) {
            throw new InvalidValueException("password", "is required");
        }
        ExtensionStatus status = in.status() == null ? ExtensionStatus.ACTIVE
                : WireValue.parse(ExtensionStatus.class, in.status(), "status");
        Extension extension = new Extension(number, password, in.displayName(), in.email(), in.department(), status,
                nullIfJsonNull(in.callForwardingJson()), nullIfJsonNull(in.voicemailJson()),
                nullIfJsonNull(in.featuresJson()), null, null).validate();
        return extension;
    }

    /** Applies the password policy to a password being set (not to one kept from before it existed). */
    private Extension strong(Extension extension, String currentPassword) {
        if (!extension.password().equals(currentPassword)) {
            passwords.check("password", extension.password());
        }
        return extension;
    }

    private static JsonNode nullIfJsonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}

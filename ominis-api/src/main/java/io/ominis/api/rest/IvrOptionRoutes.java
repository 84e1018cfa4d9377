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
import io.ominis.core.NotFoundException;
import io.ominis.core.WireValue;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrTargetPolicy;
import io.ominis.db.Database;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/ivrs/{name}/menus/{menuId}/options}: the digit bindings of a menu, addressed by their digit. Digits
 * such as {@code #} or a {@code /regex/} are sent URL-encoded in the path ({@code %23}, {@code %2F…%2F}). A
 * {@code sub_menu} option must lead to a menu of the same IVR.
 */
public final class IvrOptionRoutes {

    /** An option as clients send it. */
    @NullMarked
    public record OptionInput(
            String digit,
            @OneOf(IvrActionType.class) @Nullable String actionType,
            @Nullable String actionTarget,
            @Nullable JsonNode actionConfig,
            @Nullable String description) {
    }

    /** An option as the API shows it. */
    @NullMarked
    public record OptionView(
            String digit,
            @OneOf(IvrActionType.class) String actionType,
            @Nullable String actionTarget,
            @Nullable JsonNode actionConfig,
            @Nullable String description,
            Instant createdAt) {

        static OptionView of(IvrMenuOption o) {
            return new OptionView(o.digit(), o.actionType().wire(), o.actionTarget(), o.actionConfig(),
                    o.description(), o.createdAt());
        }
    }

    private final Database db;
    private final JsonBodies bodies;
    private final ETags etags;

    private final IvrTargetPolicy targets;

    IvrOptionRoutes(Database db, JsonBodies bodies, ETags etags, IvrTargetPolicy targets) {
        this.targets = targets;
        this.db = db;
        this.bodies = bodies;
        this.etags = etags;
    }

    void register(ApiRouter router) {
        String tag = "ivrs";
        String options = "/v1/ivrs/{name}/menus/{menuId}/options";
        String option = options + "/{digit}";
        router.add(Operation.json(GET, options, tag, "List the options of a menu, by digit", OptionView.class)
                .listOf().errors(404), this::list);
        router.add(Operation.json(POST, options, tag, "Bind a digit", OptionView.class)
                .withRequest(OptionInput.class).status(201).errors(404, 409), this::create);
        router.add(Operation.json(GET, option, tag, "Get an option (URL-encode '#' and '/regex/')", OptionView.class)
                .errors(404), this::get);
        router.add(Operation.json(PUT, option, tag, "Replace an option; a different digit rebinds it", OptionView.class)
                .withRequest(OptionInput.class).errors(404, 409, 412), this::put);
        router.add(Operation.json(PATCH, option, tag, "Change some fields (JSON merge patch; null clears a field)",
                        OptionView.class)
                .withRequest(OptionInput.class).errors(404, 409, 412), this::patch);
        router.add(Operation.json(DELETE, option, tag, "Unbind a digit", null).status(204).errors(404),
                this::delete);
    }

    private IvrMenu menu(Context ctx) {
        return IvrMenuRoutes.find(db, ctx.pathParam("name"), ctx.pathParam("menuId"));
    }

    private IvrMenuOption find(Context ctx) {
        IvrMenu menu = menu(ctx);
        String digit = ctx.pathParam("digit");
        return db.ivrMenuOptions().find(menu.id(), digit).orElseThrow(() -> new NotFoundException("ivr menu option",
                menu.ivrName() + "/" + menu.menuId() + "/" + digit));
    }

    private void list(Context ctx) {
        bodies.send(ctx, db.ivrMenuOptions().list(menu(ctx).id()).stream().map(OptionView::of).toList());
    }

    private void create(Context ctx) {
        OptionInput input = bodies.read(ctx, OptionInput.class);
        IvrMenu menu = menu(ctx);
        IvrMenuOption stored = db.ivrMenuOptions().create(toOption(input, menu.id(), null));
        bodies.send(ctx.status(201).header("Location", "/v1/ivrs/" + menu.ivrName() + "/menus/" + menu.menuId() + "/options/"
                + URLEncoder.encode(stored.digit(), StandardCharsets.UTF_8).replace("+", "%20"))
                , OptionView.of(stored));
    }

    private void get(Context ctx) {
        etags.send(ctx, OptionView.of(find(ctx)));
    }

    private void put(Context ctx) {
        OptionInput input = bodies.read(ctx, OptionInput.class);
        write(ctx, current -> toOption(input, current.menuId(), current));
    }

    private void patch(Context ctx) {
        ObjectNode patch = bodies.patch(ctx, OptionInput.class);
        write(ctx, current -> toOption(bodies.merge(inputOf(current), patch, OptionInput.class), current.menuId(),
                current));
    }

    /** Applies {@code change} to the option of the path under its row lock, after the {@code If-Match} check. */
    private void write(Context ctx, UnaryOperator<IvrMenuOption> change) {
        IvrMenuOption stored = db.ivrMenuOptions().modify(find(ctx).id(),
                etags.guard(ctx, OptionView::of, change));
        etags.send(ctx, OptionView.of(stored));
    }

    private void delete(Context ctx) {
        IvrMenuOption current = find(ctx);
        if (!db.ivrMenuOptions().delete(current.id())) {
            throw new NotFoundException("ivr menu option", current.digit());
        }
        ctx.status(204);
    }

    private static OptionInput inputOf(IvrMenuOption o) {
        return new OptionInput(o.digit(), o.actionType().wire(), o.actionTarget(), o.actionConfig(), o.description());
    }

    /**
     * The option {@code in} describes, validated (the same-IVR check of {@code sub_menu} targets is the DAO's).
     *
     * @param current the stored option being replaced, whose id and digit (when the body has none) are kept; null on
     *                create, where the digit is required
     */
    private IvrMenuOption toOption(OptionInput in, int menuId, IvrMenuOption current) {
        String digit = in.digit() != null || current == null ? in.digit() : current.digit();
        IvrActionType type = in.actionType() == null ? null
                : WireValue.parse(IvrActionType.class, in.actionType(), "action_type");
        JsonNode config = in.actionConfig() == null || in.actionConfig().isNull() ? null : in.actionConfig();
        return new IvrMenuOption(current == null ? null : current.id(), menuId, digit, type, in.actionTarget(), config,
                in.description(), null).validate(targets);
    }
}

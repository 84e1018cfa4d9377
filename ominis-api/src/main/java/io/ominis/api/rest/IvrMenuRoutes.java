package io.ominis.api.rest;

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
import io.ominis.core.NotFoundException;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code /v1/ivrs/{name}/menus}: the menus of an IVR, addressed by their {@code menu_id} (e.g. {@code main_menu}).
 * Changing {@code menu_id} on PUT or PATCH renames the menu, and the {@code sub_menu} options leading to it follow;
 * the IVR's root menu and a menu another menu's option still leads to cannot be deleted (409).
 */
public final class IvrMenuRoutes {

    /** A menu as clients send it; absent timeouts and retries take the defaults (5 seconds, 3 tries). */
    @NullMarked
    public record MenuInput(
            String menuId,
            @Nullable String promptText,
            @Nullable String ttsVoice,
            @Nullable Integer timeoutSeconds,
            @Nullable Integer maxRetries,
            @Nullable String invalidPrompt) {
    }

    /** A menu as the API shows it; {@code options} only inside an IVR read with {@code include=menus}. */
    @NullMarked
    public record MenuView(
            String menuId,
            @Nullable String promptText,
            @Nullable String ttsVoice,
            int timeoutSeconds,
            int maxRetries,
            @Nullable String invalidPrompt,
            Instant createdAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<IvrOptionRoutes.OptionView> options) {

        static MenuView of(IvrMenu m, List<IvrMenuOption> options) {
            return new MenuView(m.menuId(), m.promptText(), m.ttsVoice(), m.timeoutSeconds(), m.maxRetries(),
                    m.invalidPrompt(), m.createdAt(), m.updatedAt(),
                    options == null ? null : options.stream().map(IvrOptionRoutes.OptionView::of).toList());
        }
    }

    private final Database db;
    private final JsonBodies bodies;
    private final ETags etags;

    IvrMenuRoutes(Database db, JsonBodies bodies, ETags etags) {
        this.db = db;
        this.bodies = bodies;
        this.etags = etags;
    }

    void register(ApiRouter router) {
        String tag = "ivrs";
        String menus = "/v1/ivrs/{name}/menus";
        String menu = menus + "/{menuId}";
        router.add(Operation.json(GET, menus, tag, "List the menus of an IVR", MenuView.class).listOf()
                .errors(404), this::list);
        router.add(Operation.json(POST, menus, tag, "Create a menu", MenuView.class)
                .withRequest(MenuInput.class).status(201).errors(404, 409), this::create);
        router.add(Operation.json(GET, menu, tag, "Get a menu", MenuView.class).errors(404), this::get);
        router.add(Operation.json(PUT, menu, tag,
                        "Replace a menu; a different menu_id renames it, and sub_menu options follow", MenuView.class)
                .withRequest(MenuInput.class).errors(404, 409, 412), this::put);
        router.add(Operation.json(PATCH, menu, tag, "Change some fields (JSON merge patch; null clears a field)",
                        MenuView.class)
                .withRequest(MenuInput.class).errors(404, 409, 412), this::patch);
        router.add(Operation.json(DELETE, menu, tag,
                        "Delete a menu with its options (409 for the IVR's root_menu, and while another menu's "
                                + "sub_menu option leads to it)", null)
                .status(204).errors(404, 409), this::delete);
    }

    /**
     * The menu {@code menuId} of the IVR {@code name}.
     *
     * @throws NotFoundException naming the IVR when it does not exist, else the menu
     */
    static IvrMenu find(Database db, String name, String menuId) {
        return db.ivrMenus().find(name, menuId).orElseThrow(() -> {
            db.ivrs().get(name);
            return new NotFoundException("ivr menu", name + "/" + menuId);
        });
    }

    private void list(Context ctx) {
        String name = ctx.pathParam("name");
        db.ivrs().get(name);
        bodies.send(ctx, db.ivrMenus().list(name).stream().map(m -> MenuView.of(m, null)).toList());
    }

    private void create(Context ctx) {
        String name = ctx.pathParam("name");
        IvrMenu stored = db.ivrMenus().create(toMenu(bodies.read(ctx, MenuInput.class), name, null));
        bodies.send(ctx.status(201).header("Location", "/v1/ivrs/" + name + "/menus/" + stored.menuId())
                , MenuView.of(stored, null));
    }

    private void get(Context ctx) {
        etags.send(ctx, MenuView.of(find(db, ctx.pathParam("name"), ctx.pathParam("menuId")), null));
    }

    private void put(Context ctx) {
        MenuInput input = bodies.read(ctx, MenuInput.class);
        write(ctx, current -> toMenu(input, current.ivrName(), current));
    }

    private void patch(Context ctx) {
        ObjectNode patch = bodies.patch(ctx, MenuInput.class);
        write(ctx, current -> toMenu(bodies.merge(inputOf(current), patch, MenuInput.class), current.ivrName(),
                current));
    }

    /** Applies {@code change} to the menu of the path under its row lock, after the {@code If-Match} check. */
    private void write(Context ctx, UnaryOperator<IvrMenu> change) {
        IvrMenu menu = find(db, ctx.pathParam("name"), ctx.pathParam("menuId"));
        IvrMenu stored = db.ivrMenus().modify(menu.id(), etags.guard(ctx, m -> MenuView.of(m, null), change));
        etags.send(ctx, MenuView.of(stored, null));
    }

    private void delete(Context ctx) {
        IvrMenu current = find(db, ctx.pathParam("name"), ctx.pathParam("menuId"));
        if (!db.ivrMenus().delete(current.id())) {
            throw new NotFoundException("ivr menu", current.ivrName() + "/" + current.menuId());
        }
        ctx.status(204);
    }

    private static MenuInput inputOf(IvrMenu m) {
        return new MenuInput(m.menuId(), m.promptText(), m.ttsVoice(), m.timeoutSeconds(), m.maxRetries(),
                m.invalidPrompt());
    }

    /**
     * The menu {@code in} describes, validated.
     *
     * @param current the stored menu being replaced, whose id and menu_id (when the body has none) are kept; null on
     *                create, where menu_id is required
     */
    private static IvrMenu toMenu(MenuInput in, String ivrName, IvrMenu current) {
        String menuId = in.menuId() != null || current == null ? in.menuId() : current.menuId();
        return new IvrMenu(current == null ? null : current.id(), ivrName, menuId, in.promptText(), in.ttsVoice(),
                in.timeoutSeconds() == null ? 5 : in.timeoutSeconds(), in.maxRetries() == null ? 3 : in.maxRetries(),
                in.invalidPrompt(), null, null).validate();
    }
}

package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.WireValue;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.db.internal.JsonColumns;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Reads and writes the digit bindings of IVR menus ({@code ivr_menu_options}). A {@code sub_menu} option must lead
 * to a menu of the same IVR; that is checked in the writing transaction, with the target menu locked so that it
 * cannot be renamed or deleted before the option is committed.
 */
public final class IvrMenuOptionDao {

    private static final String COLUMNS = """
            id, menu_id, digit, action_type, action_target, action_config::text AS action_config, description,
            created_at""";

    private static final String INSERT = """
            INSERT INTO ivr_menu_options (menu_id, digit, action_type, action_target, action_config, description)
            VALUES (:menuId, :digit, :actionType, :actionTarget, :actionConfig, :description)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE ivr_menu_options
            SET digit = :digit, action_type = :actionType, action_target = :actionTarget,
                action_config = :actionConfig, description = :description
            WHERE id = :id AND menu_id = :menuId
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM ivr_menu_options WHERE id = :id";

    /** The options of every menu of one IVR ({@code :ivrName}), by menu and digit; shared with {@link IvrDao#load}. */
    static final String SELECT_BY_IVR = """
            SELECT o.id, o.menu_id, o.digit, o.action_type, o.action_target, o.action_config::text AS action_config,
                   o.description, o.created_at
            FROM ivr_menu_options o JOIN ivr_menus m ON m.id = o.menu_id
            WHERE m.ivr_name = :ivrName
            ORDER BY o.menu_id, o.digit""";

    // FOR SHARE keeps the target from being renamed or deleted (IvrMenuDao locks it FOR UPDATE) until we commit.
    private static final String LOCK_SUB_MENU_TARGET = """
            SELECT target.id
            FROM ivr_menus target
            WHERE target.ivr_name = :ivrName AND target.menu_id = :target
            FOR SHARE""";

    private final Jdbi jdbi;
    private final JsonColumns json;

    IvrMenuOptionDao(Jdbi jdbi, JsonColumns json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    /**
     * Stores a new option and returns it as stored (with its id).
     *
     * @throws NotFoundException when the menu does not exist
     * @throws InvalidValueException naming {@code action_target} when a {@code sub_menu} target is not a menu of
     *                               the same IVR
     * @throws io.ominis.core.AlreadyExistsException when the menu already binds this digit
     */
    public IvrMenuOption create(IvrMenuOption option) {
        IvrMenuOption o = option.validate();
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            checkSubMenuTarget(h, o);
            return bindAll(h.createQuery(INSERT), o).map((rs, ctx) -> map(rs, json)).one();
        }));
    }

    /** The option with this id, if any. */
    public Optional<IvrMenuOption> find(int id) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("id", id)
                .map((rs, ctx) -> map(rs, json))
                .findOne()));
    }

    /** The option with this id. @throws NotFoundException when there is none */
    public IvrMenuOption get(int id) {
        return find(id).orElseThrow(() -> new NotFoundException("ivr menu option", String.valueOf(id)));
    }

    /** The option of menu {@code menuId} bound to {@code digit}, if any. */
    public Optional<IvrMenuOption> find(int menuId, String digit) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM ivr_menu_options WHERE menu_id = :menuId AND digit = :digit")
                .bind("menuId", menuId)
                .bind("digit", digit)
                .map((rs, ctx) -> map(rs, json))
                .findOne()));
    }

    /**
     * Replaces digit, action and description of the option with {@code option.id()}; an option cannot move to
     * another menu.
     *
     * @throws NotFoundException when the menu has no option with this id
     */
    public IvrMenuOption update(IvrMenuOption option) {
        if (option.id() == null) {
            throw new InvalidValueException("id", "is required to update an ivr menu option");
        }
        IvrMenuOption o = option.validate();
        return modify(o.id(), current -> o);
    }

    /**
     * Reads the option with this id, applies {@code change} and stores the result, all in one transaction holding the
     * row lock, so that two concurrent partial updates cannot lose each other's fields. An option cannot move to
     * another menu.
     *
     * @throws NotFoundException when there is no option with this id, or {@code change} moves it to another menu
     * @throws InvalidValueException naming {@code action_target} when a {@code sub_menu} target is not a menu of
     *                               the same IVR
     */
    public IvrMenuOption modify(int id, UnaryOperator<IvrMenuOption> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs, json))
                        .findOne(),
                () -> new NotFoundException("ivr menu option", String.valueOf(id)), change, (h, current, changed) -> {
                    if (current.menuId() != changed.menuId()) {
                        throw new NotFoundException("ivr menu option", String.valueOf(id));
                    }
                    IvrMenuOption o = changed.validate();
                    checkSubMenuTarget(h, o);
                    return bindAll(h.createQuery(UPDATE), o).bind("id", id).map((rs, ctx) -> map(rs, json)).one();
                });
    }

    /** Deletes the option; returns whether it existed. */
    public boolean delete(int id) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM ivr_menu_options WHERE id = :id")
                .bind("id", id)
                .execute())) > 0;
    }

    /** The options of one menu in digit order; empty when it has none or does not exist. */
    public List<IvrMenuOption> list(int menuId) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM ivr_menu_options WHERE menu_id = :menuId ORDER BY digit")
                .bind("menuId", menuId)
                .map((rs, ctx) -> map(rs, json))
                .list()));
    }

    private static void checkSubMenuTarget(Handle h, IvrMenuOption o) {
        if (o.actionType() != IvrActionType.SUB_MENU) {
            return;
        }
        String ivrName = h.createQuery("SELECT ivr_name FROM ivr_menus WHERE id = :menuId")
                .bind("menuId", o.menuId())
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> new NotFoundException("ivr menu", String.valueOf(o.menuId())));
        boolean found = h.createQuery(LOCK_SUB_MENU_TARGET)
                .bind("ivrName", ivrName)
                .bind("target", o.actionTarget())
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
        if (!found) {
            throw new InvalidValueException("action_target",
                    "must be the menu_id of a menu of IVR '" + ivrName + "', got '" + o.actionTarget() + "'");
        }
    }

    private <S extends SqlStatement<S>> S bindAll(S statement, IvrMenuOption o) {
        return statement
                .bind("menuId", o.menuId())
                .bind("digit", o.digit())
                .bind("actionType", o.actionType().wire())
                .bind("actionTarget", o.actionTarget())
                .bind("actionConfig", json.jsonb(o.actionConfig()))
                .bind("description", o.description());
    }

    /** Maps a row of {@code ivr_menu_options}; shared with {@link IvrDao#load}. */
    static IvrMenuOption map(ResultSet rs, JsonColumns json) throws SQLException {
        return new IvrMenuOption(
                rs.getInt("id"),
                rs.getInt("menu_id"),
                rs.getString("digit"),
                WireValue.parse(IvrActionType.class, rs.getString("action_type"), "action_type"),
                rs.getString("action_target"),
                json.tree(rs.getString("action_config")),
                rs.getString("description"),
                Rows.instant(rs, "created_at"));
    }
}

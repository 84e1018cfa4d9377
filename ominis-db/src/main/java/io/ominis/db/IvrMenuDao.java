package io.ominis.db;

import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes the menus of IVRs ({@code ivr_menus}). Options of type {@code sub_menu} name menus by their
 * {@code menu_id}, a reference the schema cannot enforce, so this DAO keeps it intact: renaming a menu renames the
 * references, and a menu still referenced by another menu cannot be deleted.
 */
public final class IvrMenuDao {

    private static final String COLUMNS = """
            id, ivr_name, menu_id, prompt_text, tts_voice, timeout_seconds, max_retries, invalid_prompt, created_at,
            updated_at""";

    private static final String INSERT = """
            INSERT INTO ivr_menus (ivr_name, menu_id, prompt_text, tts_voice, timeout_seconds, max_retries,
                                   invalid_prompt)
            VALUES (:ivrName, :menuId, :promptText, :ttsVoice, :timeoutSeconds, :maxRetries, :invalidPrompt)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE ivr_menus
            SET menu_id = :menuId, prompt_text = :promptText, tts_voice = :ttsVoice, timeout_seconds = :timeoutSeconds,
                max_retries = :maxRetries, invalid_prompt = :invalidPrompt
            WHERE id = :id AND ivr_name = :ivrName
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM ivr_menus WHERE id = :id";

    /** The menus of one IVR ({@code :ivrName}) in menu_id order; shared with {@link IvrDao#load}. */
    static final String SELECT_BY_IVR = "SELECT " + COLUMNS + " FROM ivr_menus WHERE ivr_name = :ivrName ORDER BY menu_id";

    // Locks the menu so that no option can start pointing at its old menu_id while it is renamed or deleted.
    private static final String LOCK = """
            SELECT ivr_name, menu_id FROM ivr_menus WHERE id = :id FOR UPDATE""";

    private static final String RENAME_REFERENCES = """
            UPDATE ivr_menu_options o
            SET action_target = :newMenuId
            FROM ivr_menus m
            WHERE m.id = o.menu_id AND m.ivr_name = :ivrName
              AND o.action_type = 'sub_menu' AND o.action_target = :oldMenuId""";

    // The first menu of an IVR becomes its root; later ones leave the root alone.
    private static final String ROOT_IF_NONE = """
            UPDATE ivrs SET root_menu = :menuId WHERE name = :ivrName AND root_menu IS NULL""";

    private static final String IS_ROOT = """
            SELECT count(*) FROM ivrs WHERE name = :ivrName AND root_menu = :menuId""";

    // The menu's own options go with it, so they do not count as references.
    private static final String OTHER_REFERENCES = """
            SELECT m.menu_id
            FROM ivr_menu_options o JOIN ivr_menus m ON m.id = o.menu_id
            WHERE m.ivr_name = :ivrName AND m.id <> :id
              AND o.action_type = 'sub_menu' AND o.action_target = :menuId
            ORDER BY m.menu_id""";

    private final Jdbi jdbi;

    IvrMenuDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a new menu and returns it as stored (with its id).
     *
     * @throws NotFoundException when the IVR does not exist
     * @throws io.ominis.core.AlreadyExistsException when the IVR already has a menu with this menu_id
     */
    public IvrMenu create(IvrMenu menu) {
        IvrMenu m = menu.validate();
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            IvrMenu stored = bindAll(h.createQuery(INSERT), m).map(IvrMenuDao::map).one();
            h.createUpdate(ROOT_IF_NONE).bind("ivrName", stored.ivrName()).bind("menuId", stored.menuId()).execute();
            return stored;
        }));
    }

    /** The menu with this id, if any. */
    public Optional<IvrMenu> find(int id) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("id", id)
                .map(IvrMenuDao::map)
                .findOne()));
    }

    /** The menu with this id. @throws NotFoundException when there is none */
    public IvrMenu get(int id) {
        return find(id).orElseThrow(() -> new NotFoundException("ivr menu", String.valueOf(id)));
    }

    /** The menu of {@code ivrName} called {@code menuId}, if any. */
    public Optional<IvrMenu> find(String ivrName, String menuId) {
        if (ivrName == null || !Ivr.NAME.matcher(ivrName).matches()
                || menuId == null || !IvrActionType.MENU_ID.matcher(menuId).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM ivr_menus WHERE ivr_name = :ivrName AND menu_id = :menuId")
                .bind("ivrName", ivrName)
                .bind("menuId", menuId)
                .map(IvrMenuDao::map)
                .findOne()));
    }

    /**
     * Replaces the fields of the menu with {@code menu.id()}; a menu cannot move to another IVR. When the menu_id
     * changes, the {@code sub_menu} options of the same IVR that pointed at the old one follow it.
     *
     * @throws NotFoundException when the IVR has no menu with this id
     * @throws io.ominis.core.AlreadyExistsException when the new menu_id is taken in the IVR
     */
    public IvrMenu update(IvrMenu menu) {
        if (menu.id() == null) {
            throw new InvalidValueException("id", "is required to update an ivr menu");
        }
        IvrMenu m = menu.validate();
        return modify(m.id(), current -> m);
    }

    /**
     * Reads the menu with this id, applies {@code change} and stores the result, all in one transaction holding the
     * row lock, so that two concurrent partial updates cannot lose each other's fields. A menu cannot move to another
     * IVR; a new menu_id renames it, and the {@code sub_menu} options of the same IVR that led to the old one follow.
     *
     * @throws NotFoundException when there is no menu with this id, or {@code change} moves it to another IVR
     * @throws io.ominis.core.AlreadyExistsException when the new menu_id is taken in the IVR
     */
    public IvrMenu modify(int id, UnaryOperator<IvrMenu> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("id", id)
                        .map(IvrMenuDao::map)
                        .findOne(),
                () -> new NotFoundException("ivr menu", String.valueOf(id)), change, (h, current, changed) -> {
                    if (!current.ivrName().equals(changed.ivrName())) {
                        throw new NotFoundException("ivr menu", String.valueOf(id));
                    }
                    IvrMenu m = changed.validate();
                    IvrMenu stored = bindAll(h.createQuery(UPDATE), m).bind("id", id).map(IvrMenuDao::map).one();
                    if (!current.menuId().equals(m.menuId())) {
                        h.createUpdate(RENAME_REFERENCES)
                                .bind("ivrName", m.ivrName())
                                .bind("oldMenuId", current.menuId())
                                .bind("newMenuId", m.menuId())
                                .execute();
                    }
                    return stored;
                });
    }

    /**
     * Deletes the menu with its options; returns whether it existed.
     *
     * @throws ConflictException when it is the IVR's root menu, or an option of another menu of the IVR still leads
     *                           to it ({@code sub_menu})
     */
    public boolean delete(int id) {
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            Optional<Locked> locked = lock(h, id);
            if (locked.isEmpty()) {
                return false;
            }
            if (h.createQuery(IS_ROOT).bind("ivrName", locked.get().ivrName()).bind("menuId", locked.get().menuId())
                    .mapTo(Long.class).one() > 0) {
                throw new ConflictException("ivr menu '" + locked.get().menuId() + "' is the root menu of ivr '"
                        + locked.get().ivrName() + "'; name another root_menu first");
            }
            List<String> referrers = h.createQuery(OTHER_REFERENCES)
                    .bind("ivrName", locked.get().ivrName())
                    .bind("id", id)
                    .bind("menuId", locked.get().menuId())
                    .mapTo(String.class)
                    .list();
            if (!referrers.isEmpty()) {
                throw new ConflictException("ivr menu '" + locked.get().menuId() + "' is still the sub_menu of "
                        + String.join(", ", referrers));
            }
            return h.createUpdate("DELETE FROM ivr_menus WHERE id = :id").bind("id", id).execute() > 0;
        }));
    }

    /** The menus of one IVR in menu_id order; empty when the IVR has none or does not exist. */
    public List<IvrMenu> list(String ivrName) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_BY_IVR)
                .bind("ivrName", ivrName)
                .map(IvrMenuDao::map)
                .list()));
    }

    private record Locked(String ivrName, String menuId) {
    }

    private static Optional<Locked> lock(Handle h, int id) {
        return h.createQuery(LOCK)
                .bind("id", id)
                .map((rs, ctx) -> new Locked(rs.getString("ivr_name"), rs.getString("menu_id")))
                .findOne();
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, IvrMenu m) {
        return statement
                .bind("ivrName", m.ivrName())
                .bind("menuId", m.menuId())
                .bind("promptText", m.promptText())
                .bind("ttsVoice", m.ttsVoice())
                .bind("timeoutSeconds", m.timeoutSeconds())
                .bind("maxRetries", m.maxRetries())
                .bind("invalidPrompt", m.invalidPrompt());
    }

    /** Maps a row of {@code ivr_menus}; shared with {@link IvrDao#load}. */
    static IvrMenu map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new IvrMenu(
                rs.getInt("id"),
                rs.getString("ivr_name"),
                rs.getString("menu_id"),
                rs.getString("prompt_text"),
                rs.getString("tts_voice"),
                rs.getInt("timeout_seconds"),
                rs.getInt("max_retries"),
                rs.getString("invalid_prompt"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}

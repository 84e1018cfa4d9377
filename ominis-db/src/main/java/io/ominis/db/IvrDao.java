package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.WireValue;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrDefinition;
import io.ominis.core.ivr.IvrMenu;
import io.ominis.core.ivr.IvrMenuOption;
import io.ominis.core.ivr.IvrStatus;
import io.ominis.db.internal.JsonColumns;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import io.ominis.db.secrets.IvrApiKeys;
import io.ominis.db.secrets.SecretBox;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads and writes IVR instances ({@code ivrs}); deleting one deletes its menus and options with it. The stored
 * OpenAI key is passed through untouched and never logged (see {@link Ivr#toString()}).
 */
public final class IvrDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = 1000;

    private static final String COLUMNS = """
            name, description, openai_api_key, default_language, default_voice, tts_model, status, pod_name,
            service_name, root_menu, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO ivrs (name, description, openai_api_key, default_language, default_voice, tts_model, status,
                              pod_name, service_name, root_menu)
            VALUES (:name, :description, :openaiApiKey, :defaultLanguage, :defaultVoice, :ttsModel, :status,
                    :podName, :serviceName, :rootMenu)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE ivrs
            SET description = :description, openai_api_key = :openaiApiKey, default_language = :defaultLanguage,
                default_voice = :defaultVoice, tts_model = :ttsModel, status = :status, pod_name = :podName,
                service_name = :serviceName, root_menu = :rootMenu
            WHERE name = :name
            RETURNING""" + " " + COLUMNS;

    private static final String MENU_EXISTS = """
            SELECT count(*) FROM ivr_menus WHERE ivr_name = :name AND menu_id = :menuId""";

    private static final String SET_STATUS = """
            UPDATE ivrs
            SET status = :status, pod_name = :podName, service_name = :serviceName
            WHERE name = :name
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM ivrs WHERE name = :name";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM ivrs
            WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
              AND (CAST(:after AS varchar) IS NULL OR name > :after)
            ORDER BY name
            LIMIT :limit""";

    private static final String COUNT_MATCHING = """
            SELECT count(*) FROM ivrs
            WHERE (CAST(:status AS varchar) IS NULL OR status = :status)""";

    private final Jdbi jdbi;
    private final JsonColumns json;
    private final IvrApiKeys keys;

    IvrDao(Jdbi jdbi, JsonColumns json, IvrApiKeys keys) {
        this.jdbi = jdbi;
        this.json = json;
        this.keys = keys;
    }

    /**
     * {@code ivr} with its OpenAI key sealed when a secret key is configured and the key is still plain, so that what
     * any writer stores is what the server reads.
     */
    private Ivr sealed(Ivr ivr) {
        String key = ivr.openaiApiKey();
        if (!keys.available() || key == null || SecretBox.isSealed(key)) {
            return ivr;
        }
        return ivr.withOpenaiApiKey(keys.seal(ivr.name(), key));
    }

    /**
     * The plain OpenAI key stored for {@code ivr}, if it has one.
     *
     * @throws io.ominis.core.UnavailableException when no secret key is configured or the stored key does not open
     */
    public Optional<String> apiKey(Ivr ivr) {
        String stored = ivr.openaiApiKey();
        if (stored == null) {
            return Optional.empty();
        }
        return Optional.of(keys.openOrUnavailable(ivr.name(), stored));
    }

    /**
     * Which IVRs to list. Null components mean "any".
     *
     * @param after continue after this name (the previous page's cursor)
     * @param limit rows per page, 1 to {@link #MAX_LIMIT}
     */
    public record Query(IvrStatus status, String after, int limit) {
        public Query {
            Rows.limit(limit, MAX_LIMIT);
        }

        /** The first {@code limit} IVRs in name order. */
        public static Query first(int limit) {
            return new Query(null, null, limit);
        }
    }

    /** Stores a new IVR and returns it as stored. @throws io.ominis.core.AlreadyExistsException when the name is taken */
    public Ivr create(Ivr ivr) {
        Ivr i = sealed(ivr.validate());
        if (i.rootMenu() != null) {
            throw new InvalidValueException("root_menu", "must name one of the IVR's menus, and a new IVR has none; "
                    + "the first menu added becomes the root");
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindAll(h.createQuery(INSERT), i).map(IvrDao::map).one()));
    }

    /** The IVR with this name, if any. */
    public Optional<Ivr> find(String name) {
        if (name == null || !Ivr.NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("name", name)
                .map(IvrDao::map)
                .findOne()));
    }

    /** The IVR with this name. @throws NotFoundException when there is none */
    public Ivr get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("ivr", name));
    }

    /** Replaces every writable field of an existing IVR. @throws NotFoundException when there is none */
    public Ivr update(Ivr ivr) {
        Ivr i = ivr.validate();
        return modify(i.name(), current -> i);
    }

    /**
     * Reads the IVR, applies {@code change} and stores every writable field of the result, all in one transaction
     * holding the row lock, so that two concurrent partial updates cannot lose each other's fields. The name cannot be
     * changed this way. A {@code rootMenu} must be a menu of the IVR; null keeps the current root (an IVR with menus
     * always has one).
     *
     * @throws NotFoundException when there is no such IVR
     * @throws InvalidValueException naming {@code root_menu} when the IVR has no such menu
     */
    public Ivr modify(String name, UnaryOperator<Ivr> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("name", name)
                        .map(IvrDao::map)
                        .findOne(),
                () -> new NotFoundException("ivr", name), change, (h, current, changed) -> {
                    if (!current.name().equals(changed.name())) {
                        throw new InvalidValueException("name", "cannot be changed; create a new ivr instead");
                    }
                    Ivr next = changed.validate();
                    if (next.rootMenu() == null) {
                        next = next.withRootMenu(current.rootMenu());
                    } else if (h.createQuery(MENU_EXISTS).bind("name", name).bind("menuId", next.rootMenu())
                            .mapTo(Long.class).one() == 0) {
                        throw new InvalidValueException("root_menu", "must be the menu_id of one of this IVR's menus, "
                                + "got '" + next.rootMenu() + "'");
                    }
                    return bindAll(h.createQuery(UPDATE), sealed(next)).map(IvrDao::map).one();
                });
    }

    /**
     * Records where the IVR's pod stands, leaving its configuration alone; null pod or service clear them.
     *
     * @throws NotFoundException when there is no such IVR
     */
    public Ivr setStatus(String name, IvrStatus status, String podName, String serviceName) {
        if (status == null) {
            throw new InvalidValueException("status", "is required");
        }
        // validating a copy with the new values checks them by the same rules as create and update
        Ivr probe = new Ivr(name, null, null, null, null, null, status, podName, serviceName, null, null).validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SET_STATUS)
                        .bind("name", probe.name())
                        .bind("status", probe.status().wire())
                        .bind("podName", probe.podName())
                        .bind("serviceName", probe.serviceName())
                        .map(IvrDao::map)
                        .findOne()))
                .orElseThrow(() -> new NotFoundException("ivr", name));
    }

    /** Deletes the IVR with its menus and their options; returns whether it existed. */
    public boolean delete(String name) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM ivrs WHERE name = :name")
                .bind("name", name)
                .execute())) > 0;
    }

    /** One page of IVRs in name order; the page's cursor is the last name on it. */
    public Page<Ivr, String> list(Query query) {
        List<Ivr> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("status", query.status() == null ? null : query.status().wire())
                .bind("after", query.after())
                .bind("limit", query.limit() + 1)
                .map(IvrDao::map)
                .list()));
        return Rows.page(rows, query.limit(), Ivr::name);
    }

    /** How many IVRs match the filter of {@code query} (its cursor and limit play no part). */
    public long countMatching(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT_MATCHING)
                .bind("status", query.status() == null ? null : query.status().wire())
                .mapTo(Long.class)
                .one()));
    }

    /**
     * The IVR with all its menus and options, in three queries run in one repeatable-read snapshot so that a
     * concurrent edit never shows up half-applied; empty when there is no such IVR.
     */
    public Optional<IvrDefinition> load(String name) {
        if (name == null || !Ivr.NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ,
                h -> load(h, name)));
    }

    private Optional<IvrDefinition> load(Handle h, String name) {
        Optional<Ivr> ivr = h.createQuery(SELECT_ONE).bind("name", name).map(IvrDao::map).findOne();
        if (ivr.isEmpty()) {
            return Optional.empty();
        }
        List<IvrMenu> menus = h.createQuery(IvrMenuDao.SELECT_BY_IVR)
                .bind("ivrName", name)
                .map(IvrMenuDao::map)
                .list();
        List<IvrMenuOption> all = h.createQuery(IvrMenuOptionDao.SELECT_BY_IVR)
                .bind("ivrName", name)
                .map((rs, ctx) -> IvrMenuOptionDao.map(rs, json))
                .list();
        Map<Integer, List<IvrMenuOption>> options = new HashMap<>();
        for (IvrMenuOption o : all) {
            options.computeIfAbsent(o.menuId(), k -> new ArrayList<>()).add(o);
        }
        return Optional.of(new IvrDefinition(ivr.get(), menus, options));
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, Ivr i) {
        return statement
                .bind("name", i.name())
                .bind("description", i.description())
                .bind("openaiApiKey", i.openaiApiKey())
                .bind("defaultLanguage", i.defaultLanguage())
                .bind("defaultVoice", i.defaultVoice())
                .bind("ttsModel", i.ttsModel())
                .bind("status", i.status().wire())
                .bind("podName", i.podName())
                .bind("serviceName", i.serviceName())
                .bind("rootMenu", i.rootMenu());
    }

    private static Ivr map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Ivr(
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("openai_api_key"),
                rs.getString("default_language"),
                rs.getString("default_voice"),
                rs.getString("tts_model"),
                WireValue.parse(IvrStatus.class, rs.getString("status"), "status"),
                rs.getString("pod_name"),
                rs.getString("service_name"),
                rs.getString("root_menu"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}

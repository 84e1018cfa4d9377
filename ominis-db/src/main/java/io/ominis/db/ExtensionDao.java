package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.Page;
import io.ominis.core.RejectedRowsException;
import io.ominis.core.WireValue;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.db.internal.JsonColumns;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes SIP users ({@code extensions}). Every write validates first and is atomic; constraint violations
 * arrive as the typed exceptions of {@code io.ominis.core}.
 */
public final class ExtensionDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = 1000;

    private static final String COLUMNS = """
            number, password, display_name, email, department, status,
            call_forwarding_json::text AS call_forwarding_json, voicemail_json::text AS voicemail_json,
            features_json::text AS features_json, created_at, updated_at""";

    private static final String INSERT = """
            INSERT INTO extensions (number, password, display_name, email, department, status,
                                    call_forwarding_json, voicemail_json, features_json)
            VALUES (:number, :password, :displayName, :email, :department, :status,
                    :callForwarding, :voicemail, :features)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE extensions
            SET password = :password, display_name = :displayName, email = :email, department = :department,
                status = :status, call_forwarding_json = :callForwarding, voicemail_json = :voicemail,
                features_json = :features
            WHERE number = :number
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM extensions WHERE number = :number";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM extensions
            WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
              AND (CAST(:department AS varchar) IS NULL OR department = :department)
              AND (CAST(:pattern AS varchar) IS NULL
                   OR number ILIKE :pattern OR display_name ILIKE :pattern OR email ILIKE :pattern)
              AND (CAST(:after AS varchar) IS NULL OR number > :after)
            ORDER BY number
            LIMIT :limit""";

    private final Jdbi jdbi;
    private final JsonColumns json;

    ExtensionDao(Jdbi jdbi, JsonColumns json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    /**
     * Which extensions to list. Null components mean "any".
     *
     * @param text  case-insensitive substring of number, display name or email
     * @param after continue after this number (the previous page's cursor)
     * @param limit rows per page, 1 to {@link #MAX_LIMIT}
     */
    public record Query(ExtensionStatus status, String department, String text, String after, int limit) {
        public Query {
            Rows.limit(limit, MAX_LIMIT);
        }

        /** The first {@code limit} extensions in number order. */
        public static Query first(int limit) {
            return new Query(null, null, null, null, limit);
        }
    }

    /** Stores a new extension and returns it as stored (with timestamps). */
    public Extension create(Extension extension) {
        Extension e = extension.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> insert(h, e)));
    }

    /**
     * Stores every extension or none. All rows are checked first (rules, duplicates within the batch, numbers already
     * taken) and every bad row is reported in one {@link RejectedRowsException}.
     */
    public List<Extension> createAll(List<Extension> extensions) {
        List<RejectedRowsException.RowError> errors = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            try {
                e.validate();
                Integer earlier = firstIndex.putIfAbsent(e.number(), i);
                if (earlier != null) {
                    errors.add(new RejectedRowsException.RowError(i, "number", "duplicates row " + earlier));
                }
            } catch (InvalidValueException bad) {
                errors.add(new RejectedRowsException.RowError(i, bad.field(), bad.reason()));
            }
        }
        return SqlErrors.guard(() -> jdbi.inTransaction(h -> {
            Set<String> taken = new HashSet<>(h.createQuery("SELECT number FROM extensions WHERE number = ANY(:numbers)")
                    .bindArray("numbers", String.class, (Object[]) firstIndex.keySet().toArray(String[]::new))
                    .mapTo(String.class)
                    .list());
            for (String number : taken) {
                errors.add(new RejectedRowsException.RowError(firstIndex.get(number), "number", "already exists"));
            }
            if (!errors.isEmpty()) {
                errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
                throw new RejectedRowsException(errors);
            }
            List<Extension> stored = new ArrayList<>(extensions.size());
            for (Extension e : extensions) {
                stored.add(insert(h, e));
            }
            return stored;
        }));
    }

    /** The extension with this number, if any. */
    public Optional<Extension> find(String number) {
        if (number == null || !Extension.NUMBER.matcher(number).matches()) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("number", number)
                .map(this::map)
                .findOne()));
    }

    /** The extension with this number. @throws NotFoundException when there is none */
    public Extension get(String number) {
        return find(number).orElseThrow(() -> new NotFoundException("extension", number));
    }

    /** Replaces every writable field of an existing extension. @throws NotFoundException when there is none */
    public Extension update(Extension extension) {
        Extension e = extension.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindAll(h.createQuery(UPDATE), e)
                .map(this::map)
                .findOne()))
                .orElseThrow(() -> new NotFoundException("extension", e.number()));
    }

    /**
     * Reads the extension, applies {@code change} and stores the result, all in one transaction holding the row lock,
     * so two concurrent partial updates cannot lose each other's fields. The number cannot be changed this way.
     *
     * @throws NotFoundException when there is no such extension
     */
    public Extension modify(String number, java.util.function.UnaryOperator<Extension> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("number", number)
                        .map(this::map)
                        .findOne(),
                () -> new NotFoundException("extension", number), change, (h, current, changed) -> {
                    if (!current.number().equals(changed.number())) {
                        throw new InvalidValueException("number", "cannot be changed; create a new extension instead");
                    }
                    changed.validate();
                    return bindAll(h.createQuery(UPDATE), changed).map(this::map).one();
                });
    }

    /** Sets a new SIP password. @throws NotFoundException when there is no such extension */
    public Extension changePassword(String number, String newPassword) {
        return update(get(number).withPassword(newPassword));
    }

    /** Deletes the extension; returns whether it existed. */
    public boolean delete(String number) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM extensions WHERE number = :number")
                .bind("number", number)
                .execute())) > 0;
    }

    /** One page of extensions in number order; the page's cursor is the last number on it. */
    public Page<Extension, String> list(Query query) {
        String pattern = query.text() == null || query.text().isEmpty() ? null
                : "%" + query.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<Extension> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("status", query.status() == null ? null : query.status().wire())
                .bind("department", query.department())
                .bind("pattern", pattern)
                .bind("after", query.after())
                .bind("limit", query.limit() + 1)
                .map(this::map)
                .list()));
        if (rows.size() > query.limit()) {
            List<Extension> page = rows.subList(0, query.limit());
            return new Page<>(page, page.get(page.size() - 1).number());
        }
        return new Page<>(rows, null);
    }

    /** How many extensions there are, optionally of one status. */
    public long count(ExtensionStatus status) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM extensions WHERE (CAST(:status AS varchar) IS NULL OR status = :status)")
                .bind("status", status == null ? null : status.wire())
                .mapTo(Long.class)
                .one()));
    }

    private Extension insert(Handle h, Extension e) {
        return bindAll(h.createQuery(INSERT), e).map(this::map).one();
    }

    private <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindAll(S statement, Extension e) {
        return statement
                .bind("number", e.number())
                .bind("password", e.password())
                .bind("displayName", e.displayName())
                .bind("email", e.email())
                .bind("department", e.department())
                .bind("status", e.status().wire())
                .bind("callForwarding", json.jsonb(e.callForwarding()))
                .bind("voicemail", json.jsonb(e.voicemail()))
                .bind("features", json.jsonb(e.features()));
    }

    private Extension map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Extension(
                rs.getString("number"),
                rs.getString("password"),
                rs.getString("display_name"),
                rs.getString("email"),
                rs.getString("department"),
                WireValue.parse(ExtensionStatus.class, rs.getString("status"), "status"),
                json.tree(rs.getString("call_forwarding_json")),
                json.tree(rs.getString("voicemail_json")),
                json.tree(rs.getString("features_json")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}

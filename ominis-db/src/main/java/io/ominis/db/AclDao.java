package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.WireValue;
import io.ominis.core.Page;
import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes IP access-control entries ({@code acl_entries}). CIDRs are stored in canonical form, so
 * {@code 10.0.0.1} and {@code 10.0.0.1/32} are the same entry of a list and the second one is refused.
 */
public final class AclDao {

    private static final String COLUMNS = "id, list_name, cidr, permission, description, created_at, updated_at";

    private static final String INSERT = """
            INSERT INTO acl_entries (list_name, cidr, permission, description)
            VALUES (:listName, :cidr, :permission, :description)
            RETURNING""" + " " + COLUMNS;

    private static final String UPDATE = """
            UPDATE acl_entries
            SET list_name = :listName, cidr = :cidr, permission = :permission, description = :description
            WHERE id = :id
            RETURNING""" + " " + COLUMNS;

    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM acl_entries WHERE id = :id";

    private static final String LIST = "SELECT " + COLUMNS + """
             FROM acl_entries
            WHERE (CAST(:listName AS varchar) IS NULL OR list_name = :listName)
            ORDER BY list_name, id""";

    private static final String PAGE = "SELECT " + COLUMNS + """
             FROM acl_entries
            WHERE (CAST(:listName AS varchar) IS NULL OR list_name = :listName)
              AND (:first OR (list_name, id) > (:afterList, :afterId))
            ORDER BY list_name, id
            LIMIT :limit""";

    private static final String COUNT = """
            SELECT count(*)
              FROM acl_entries
             WHERE (CAST(:listName AS varchar) IS NULL OR list_name = :listName)""";

    private final Jdbi jdbi;

    AclDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a new entry and returns it as stored, CIDR canonical.
     *
     * @throws io.ominis.core.AlreadyExistsException when the list already holds this network
     */
    public AclEntry create(AclEntry entry) {
        AclEntry e = entry.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> bindAll(h.createQuery(INSERT), e)
                .map(AclDao::map)
                .one()));
    }

    /** The entry with this id, if any. */
    public Optional<AclEntry> find(int id) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("id", id)
                .map(AclDao::map)
                .findOne()));
    }

    /** The entry with this id. @throws NotFoundException when there is none */
    public AclEntry get(int id) {
        return find(id).orElseThrow(() -> new NotFoundException("acl entry", String.valueOf(id)));
    }

    /**
     * Replaces list, CIDR, permission and description of the entry with {@code entry.id()}.
     *
     * @throws NotFoundException when there is no such entry
     * @throws io.ominis.core.AlreadyExistsException when the target list already holds this network
     */
    public AclEntry update(AclEntry entry) {
        if (entry.id() == null) {
            throw new InvalidValueException("id", "is required to update an acl entry");
        }
        AclEntry e = entry.validate();
        return modify(e.id(), current -> e);
    }

    /**
     * Reads the entry with this id, applies {@code change} and stores the result, all in one transaction holding the
     * row lock, so that two concurrent partial updates cannot lose each other's fields.
     *
     * @throws NotFoundException when there is no such entry
     * @throws io.ominis.core.AlreadyExistsException when the target list already holds this network
     */
    public AclEntry modify(int id, UnaryOperator<AclEntry> change) {
        return RowLock.modify(jdbi, h -> h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("id", id)
                        .map(AclDao::map)
                        .findOne(),
                () -> new NotFoundException("acl entry", String.valueOf(id)), change,
                (h, current, changed) -> bindAll(h.createQuery(UPDATE), changed.validate())
                        .bind("id", id)
                        .map(AclDao::map)
                        .one());
    }

    /** Deletes the entry; returns whether it existed. */
    public boolean delete(int id) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM acl_entries WHERE id = :id")
                .bind("id", id)
                .execute())) > 0;
    }

    /** Every entry of every list, by list name and then in the order they were added (FreeSWITCH order). */
    public List<AclEntry> list() {
        return list(null);
    }

    /** The entries of one list in the order they were added; all lists when {@code listName} is null. */
    public List<AclEntry> list(String listName) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("listName", listName)
                .map(AclDao::map)
                .list()));
    }

    /**
     * One page of entries in {@link #list(String)}'s order, after the key ({@code list_name}, {@code id}) of the last
     * entry of the previous page (empty for the first); the next page's key is in {@link Page#next()}.
     */
    public Page<AclEntry, List<String>> page(String listName, List<String> after, int limit) {
        Limits.check(limit);
        List<String> key = Rows.key(after, 2);
        List<AclEntry> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(PAGE)
                .bind("listName", listName)
                .bind("first", key.isEmpty())
                .bind("afterList", Rows.keyText(key, 0))
                .bind("afterId", Rows.keyNumber(key, 1))
                .bind("limit", limit + 1)
                .map(AclDao::map)
                .list()));
        return Rows.page(rows, limit, e -> List.of(e.listName(), Long.toString(e.id())));
    }

    /** How many entries {@code listName} has; all lists' when it is null. */
    public long count(String listName) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT)
                .bind("listName", listName)
                .mapTo(Long.class)
                .one()));
    }

    /** The names of the lists that have at least one entry, sorted. */
    public List<String> listNames() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT list_name FROM acl_entries ORDER BY list_name")
                .mapTo(String.class)
                .list()));
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, AclEntry e) {
        return statement
                .bind("listName", e.listName())
                .bind("cidr", e.cidr())
                .bind("permission", e.permission().wire())
                .bind("description", e.description());
    }

    private static AclEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AclEntry(
                rs.getInt("id"),
                rs.getString("list_name"),
                rs.getString("cidr"),
                WireValue.parse(AclPermission.class, rs.getString("permission"), "permission"),
                rs.getString("description"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}

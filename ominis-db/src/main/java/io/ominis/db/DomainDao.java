package io.ominis.db;

import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.directory.Domain;
import io.ominis.db.internal.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads and writes the served directory domains ({@code domains}). Names are normalized to lower case; the name is a
 * domain's identity (hashes are computed over it), so only the description changes. Deleting a domain deletes the
 * digest hashes kept for it in the same statement (a foreign key).
 */
public final class DomainDao {

    private static final String COLUMNS = "name, description, created_at, updated_at";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM domains WHERE name = :name";

    private final Jdbi jdbi;

    DomainDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a new domain.
     *
     * @throws io.ominis.core.AlreadyExistsException when it is already served
     */
    public Domain create(Domain domain) {
        Domain d = domain.validate();
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("INSERT INTO domains (name, description)"
                        + " VALUES (:name, :description) RETURNING " + COLUMNS)
                .bind("name", d.name())
                .bind("description", d.description())
                .map(DomainDao::map)
                .one()));
    }

    /**
     * Adds every name not served yet, leaving the others (and any added concurrently) as they are; for a seed from
     * the settings. Returns the names it added.
     */
    public List<String> ensure(Collection<String> names) {
        List<String> normalized = names.stream().map(n -> Domain.normalize("name", n)).distinct().toList();
        if (normalized.isEmpty()) {
            return List.of();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("INSERT INTO domains (name)"
                        + " SELECT unnest(:names) ON CONFLICT (name) DO NOTHING RETURNING name")
                .bindArray("names", String.class, normalized)
                .mapTo(String.class)
                .list()));
    }

    /** Every served domain in name order. */
    public List<Domain> list() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM domains ORDER BY name")
                .map(DomainDao::map)
                .list()));
    }

    /** The served names only, in name order. */
    public List<String> names() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("SELECT name FROM domains ORDER BY name")
                .mapTo(String.class)
                .list()));
    }

    /** The domain of this name (any case), if served. */
    public Optional<Domain> find(String name) {
        String n = lookupKey(name);
        if (n == null) {
            return Optional.empty();
        }
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(SELECT_ONE)
                .bind("name", n)
                .map(DomainDao::map)
                .findOne()));
    }

    /** The domain of this name. @throws NotFoundException when it is not served */
    public Domain get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("domain", name));
    }

    /**
     * Reads the domain under its row lock, applies {@code change} and stores the description, in one transaction.
     *
     * @throws NotFoundException when it is not served
     * @throws InvalidValueException when the change renames it
     */
    public Domain modify(String name, UnaryOperator<Domain> change) {
        String n = lookupKey(name);
        return RowLock.modify(jdbi, h -> n == null ? Optional.empty() : h.createQuery(SELECT_ONE + " FOR UPDATE")
                        .bind("name", n)
                        .map(DomainDao::map)
                        .findOne(),
                () -> new NotFoundException("domain", name), change, (h, current, changed) -> {
                    Domain d = changed.validate();
                    if (!current.name().equals(d.name())) {
                        throw new InvalidValueException("name", "cannot be changed: digest hashes are computed over"
                                + " it; add the new domain and delete the old one");
                    }
                    return h.createQuery("UPDATE domains SET description = :description WHERE name = :name"
                                    + " RETURNING " + COLUMNS)
                            .bind("name", d.name())
                            .bind("description", d.description())
                            .map(DomainDao::map)
                            .one();
                });
    }

    /** Stops serving the domain and drops the digest hashes kept for it; returns whether it was served. */
    public boolean delete(String name) {
        String n = lookupKey(name);
        return n != null && SqlErrors.guard(() -> jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM domains WHERE name = :name")
                .bind("name", n)
                .execute())) > 0;
    }

    /** How many extensions have no digest hash for this domain although their password is not kept. */
    public long extensionsWithoutHash(String name) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM extensions e
                        WHERE e.password IS NULL
                          AND NOT EXISTS (SELECT 1 FROM extension_a1_hashes a
                                          WHERE a.number = e.number AND a.realm = :name)""")
                .bind("name", name)
                .mapTo(Long.class)
                .one()));
    }

    /** The stored spelling of {@code name}, or null when it cannot be a domain at all. */
    private static String lookupKey(String name) {
        try {
            return Domain.normalize("name", name);
        } catch (InvalidValueException e) {
            return null;
        }
    }

    private static Domain map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Domain(rs.getString("name"), rs.getString("description"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}

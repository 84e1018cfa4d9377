package io.ominis.db;

import io.ominis.core.switchstate.Registration;
import io.ominis.db.internal.SqlErrors;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads FreeSWITCH's {@code registrations} table, written by mod_sofia on each REGISTER. Rows outlive their expiry
 * until the owning switch sweeps them (every 15 s, and never for a switch that is gone), so listings include expired
 * rows; tell them apart with {@link Registration#expiredAt}.
 */
public final class RegistrationDao {

    /** The most rows one listing may return. */
    public static final int MAX_LIMIT = Limits.MAX;

    private static final String LIST = """
            SELECT * FROM registrations
            WHERE (CAST(:regUser AS varchar) IS NULL OR reg_user = :regUser)
              AND (CAST(:realm AS varchar) IS NULL OR realm = :realm)
              AND (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            ORDER BY reg_user, realm, expires DESC, hostname, token
            LIMIT :limit""";

    private static final String COUNT = """
            SELECT count(*) FROM registrations
            WHERE (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)""";

    private static final RecordRows<Registration> ROWS = RecordRows.of(Registration.class);

    private final Jdbi jdbi;

    RegistrationDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Which registrations to list; null components mean "any".
     *
     * @param regUser the SIP user (To user of the REGISTER)
     * @param realm   the registration domain
     * @param limit   rows to return, 1 to {@link #MAX_LIMIT}
     */
    public record Query(String regUser, String realm, String hostname, int limit) {
        public Query {
            Limits.check(limit);
        }

        /** The first {@code limit} registrations of all users. */
        public static Query first(int limit) {
            return new Query(null, null, null, limit);
        }
    }

    /** Registrations matching {@code query}, by user, realm and switch. */
    public List<Registration> list(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(LIST)
                .bind("regUser", query.regUser())
                .bind("realm", query.realm())
                .bind("hostname", query.hostname())
                .bind("limit", query.limit())
                .map(ROWS)
                .list()));
    }

    /**
     * Every registration of {@code regUser@realm}, latest expiry first. A list, not an optional: with
     * {@code multiple-registrations} one user registers several devices, and each switch keeps its own row.
     */
    public List<Registration> find(String regUser, String realm) {
        return list(new Query(regUser, realm, null, MAX_LIMIT));
    }

    /** How many registration rows there are, expired ones included. */
    public long count() {
        return count(null);
    }

    /** How many registration rows switch {@code hostname} has (null: all switches), expired ones included. */
    public long count(String hostname) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(COUNT)
                .bind("hostname", hostname)
                .mapTo(Long.class)
                .one()));
    }
}

package io.ominis.db;

import io.ominis.core.Page;
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

    private static final String FILTER = """
            WHERE (CAST(:regUser AS varchar) IS NULL OR reg_user = :regUser)
              AND (CAST(:realm AS varchar) IS NULL OR realm = :realm)
              AND (CAST(:hostname AS varchar) IS NULL OR hostname = :hostname)
            """;

    // The listing's keyset is what FreeSWITCH deletes a registration by (user, realm, switch, token), never expires:
    // every re-REGISTER moves expires, which would make a row jump between pages.
    private static final String LIST = "SELECT * FROM registrations " + FILTER + """
              AND (:first OR (COALESCE(reg_user, ''), COALESCE(realm, ''), COALESCE(hostname, ''),
                              COALESCE(token, '')) > (:kUser, :kRealm, :kHost, :kToken))
            ORDER BY COALESCE(reg_user, ''), COALESCE(realm, ''), COALESCE(hostname, ''), COALESCE(token, '')
            LIMIT :limit""";

    private static final String FIND = "SELECT * FROM registrations " + FILTER + """
            ORDER BY expires DESC, hostname, token
            LIMIT :limit""";

    private static final String COUNT_MATCHING = "SELECT count(*) FROM registrations " + FILTER;

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

    /** The first {@code query.limit()} registrations matching {@code query}, by user, realm, switch and token. */
    public List<Registration> list(Query query) {
        return page(query, null).items();
    }

    /**
     * One page of the registrations matching {@code query} in the order of {@link #list}: those after the row whose
     * key is {@code after} (a previous page's {@link Page#next()}; null for the first page).
     *
     * @throws io.ominis.core.InvalidValueException naming {@code cursor} for a key that is not a registration key
     */
    public Page<Registration, List<String>> page(Query query, List<String> after) {
        List<String> key = Rows.key(after, 4);
        List<Registration> rows = SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(LIST), query)
                .bind("first", key.isEmpty())
                .bind("kUser", Rows.keyText(key, 0))
                .bind("kRealm", Rows.keyText(key, 1))
                .bind("kHost", Rows.keyText(key, 2))
                .bind("kToken", Rows.keyText(key, 3))
                .bind("limit", query.limit() + 1)
                .map(ROWS)
                .list()));
        return Rows.page(rows, query.limit(), r -> List.of(text(r.regUser()), text(r.realm()), text(r.hostname()),
                text(r.token())));
    }

    /** How many registration rows match the filters of {@code query} (its limit plays no part). */
    public long countMatching(Query query) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(COUNT_MATCHING), query)
                .mapTo(Long.class)
                .one()));
    }

    /**
     * Every registration of {@code regUser@realm}, latest expiry first. A list, not an optional: with
     * {@code multiple-registrations} one user registers several devices, and each switch keeps its own row.
     */
    public List<Registration> find(String regUser, String realm) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> filtered(h.createQuery(FIND),
                        new Query(regUser, realm, null, MAX_LIMIT))
                .bind("limit", MAX_LIMIT)
                .map(ROWS)
                .list()));
    }

    private static org.jdbi.v3.core.statement.Query filtered(org.jdbi.v3.core.statement.Query statement, Query query) {
        return statement
                .bind("regUser", query.regUser())
                .bind("realm", query.realm())
                .bind("hostname", query.hostname());
    }

    private static String text(String value) {
        return value == null ? "" : value;
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

package io.ominis.core.config;

import io.ominis.core.InvalidValueException;
import java.util.Locale;
import java.util.Objects;

/**
 * A database DSN as FreeSWITCH reads it in {@code core-db-dsn} and every module's {@code odbc-dsn}
 * ({@code _switch_cache_db_get_db_handle_dsn_ex} in {@code switch_core_sqldb.c}). FreeSWITCH never refuses a DSN: a
 * bare name, {@code sqlite://…}, or an unknown {@code prefix://} silently becomes a local SQLite file, which is how a
 * call center ends up outside the shared database without a word in the log. So only DSNs that reach PostgreSQL
 * are accepted here.
 *
 * @param text the DSN as FreeSWITCH gets it
 * @param kind how FreeSWITCH opens it
 */
public record FreeSwitchDsn(String text, Kind kind) {

    /** FreeSWITCH copies ODBC DSNs into a 256-byte buffer, so a longer one is cut. */
    public static final int MAX_ODBC_LENGTH = 255;

    /** How FreeSWITCH opens a DSN. */
    public enum Kind {
        /** {@code odbc://dsn[:user[:pass]]} or the legacy {@code dsn:user:pass}: unixODBC. */
        ODBC,
        /** {@code pgsql://libpq keywords}, {@code postgres://…} or {@code postgresql://…}: mod_pgsql, pre-loaded. */
        PGSQL
    }

    public FreeSwitchDsn {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Reads {@code text} as FreeSWITCH would.
     *
     * @throws InvalidValueException naming {@code field} when FreeSWITCH would open a SQLite file instead, or cut the
     *                               DSN
     */
    public static FreeSwitchDsn parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException(field, "is required");
        }
        if (text.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidValueException(field, "must be one line");
        }
        int slashes = text.indexOf("://");
        String lower = text.toLowerCase(Locale.ROOT);
        Kind kind;
        if (slashes >= 0) {
            String prefix = lower.substring(0, slashes);
            kind = switch (prefix) {
                case "odbc" -> Kind.ODBC;
                case "pgsql", "postgres", "postgresql" -> Kind.PGSQL;
                default -> throw sqlite(field, text);
            };
        } else if (text.length() > 2 && text.indexOf(':', 2) >= 0) {
            kind = Kind.ODBC;
        } else {
            throw sqlite(field, text);
        }
        if (kind == Kind.ODBC && text.length() > MAX_ODBC_LENGTH) {
            throw new InvalidValueException(field, "is longer than " + MAX_ODBC_LENGTH
                    + " characters, which FreeSWITCH cuts off for ODBC DSNs");
        }
        return new FreeSwitchDsn(text, kind);
    }

    private static InvalidValueException sqlite(String field, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new InvalidValueException(field, "FreeSWITCH would open '" + shown + "' as a local SQLite file, not "
                + "PostgreSQL; use odbc://<odbc.ini section> or pgsql://<libpq keywords> (mod_pgsql pre-loaded)");
    }

    @Override
    public String toString() {
        // pgsql:// DSNs carry the password inline.
        return "FreeSwitchDsn[" + kind + "]";
    }
}

package io.ominis.db.internal;

import io.ominis.core.AlreadyExistsException;
import io.ominis.core.ConflictException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.NotFoundException;
import io.ominis.core.OminisException;
import io.ominis.core.UnavailableException;
import io.ominis.db.DatabaseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns what the driver throws into the exceptions of {@code io.ominis.core}, so that no caller ever has to look at
 * a SQLState. Relies on the constraint naming of our migrations: {@code <table>_<column>_check}.
 */
public final class SqlErrors {

    private static final Pattern KEY_DETAIL = Pattern.compile("Key \\((.+?)\\)=\\((.*)\\)", Pattern.DOTALL);
    private static final Map<String, String> ENTITIES = Map.of(
            "extensions", "extension",
            "ivrs", "ivr",
            "ivr_menus", "ivr menu",
            "ivr_menu_options", "ivr menu option",
            "ivr_tts_cache", "tts cache entry",
            "acl_entries", "acl entry",
            "callcenter_queues", "queue",
            "domains", "domain",
            "cdr", "cdr");

    private SqlErrors() {
    }

    /** Runs database work, translating whatever it throws. */
    public static <T> T guard(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The {@link OminisException} that says what went wrong with {@code failure}. */
    public static OminisException translate(Throwable failure) {
        if (failure instanceof OminisException known) {
            return known;
        }
        SQLException sql = find(failure);
        if (sql == null) {
            return new DatabaseException("database call failed: " + failure.getMessage(), failure);
        }
        if (sql instanceof SQLTransientConnectionException) {
            return new UnavailableException("database unavailable: " + sql.getMessage(), failure);
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        ServerErrorMessage server = sql instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String table = server == null ? null : server.getTable();
        String constraint = server == null ? null : server.getConstraint();
        String detail = server == null || server.getDetail() == null ? "" : server.getDetail();
        String entity = table == null ? "row" : ENTITIES.getOrDefault(table, table);

        switch (state) {
            case "23505": {
                Matcher m = KEY_DETAIL.matcher(detail);
                return new AlreadyExistsException(entity, m.find() ? m.group(2) : constraint, failure);
            }
            case "23514":
                return new InvalidValueException(column(table, constraint), "violates constraint " + constraint,
                        failure);
            case "23502":
                return new InvalidValueException(server != null && server.getColumn() != null ? server.getColumn()
                        : "value", "is required", failure);
            case "23503": {
                Matcher m = KEY_DETAIL.matcher(detail);
                String key = m.find() ? m.group(2) : constraint;
                if (detail.contains("is still referenced")) {
                    return new ConflictException(entity + " '" + key + "' is still referenced", failure);
                }
                String referenced = detail.replaceFirst(".*is not present in table \"([^\"]+)\".*", "$1");
                return new NotFoundException(ENTITIES.getOrDefault(referenced, referenced), key);
            }
            case "22001":
                return new InvalidValueException(server != null && server.getColumn() != null ? server.getColumn()
                        : "value", "is too long: " + firstLine(sql), failure);
            case "22021", "22P02", "22P05", "22007", "22008", "22003", "22023", "22P04":
                return new InvalidValueException("value", firstLine(sql), failure);
            case "57014":
                return new UnavailableException("database statement timed out", failure);
            case "25006":
                // read_only_sql_transaction: the server is a standby, e.g. a primary demoted in a failover
                return new UnavailableException("database is read-only (a standby): " + firstLine(sql), failure);
            default:
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("53300")) {
                    return new UnavailableException("database unavailable: " + firstLine(sql), failure);
                }
                return new DatabaseException("database call failed [" + state + "]: " + firstLine(sql), failure);
        }
    }

    private static String column(String table, String constraint) {
        if (constraint == null) {
            return "value";
        }
        String c = constraint;
        if (table != null && c.startsWith(table + "_")) {
            c = c.substring(table.length() + 1);
        }
        return c.endsWith("_check") ? c.substring(0, c.length() - "_check".length()) : c;
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static SQLException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}

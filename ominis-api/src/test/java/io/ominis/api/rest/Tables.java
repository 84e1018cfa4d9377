package io.ominis.api.rest;

import io.ominis.testing.OminisDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Reads tables directly, to prove what a refused request did not change. */
final class Tables {

    private Tables() {
    }

    /** Every row of each table as text, in a stable order. */
    static String snapshot(OminisDatabase db, String... tables) {
        StringBuilder out = new StringBuilder();
        for (String table : tables) {
            out.append(table).append(": ").append(
                    query(db, "SELECT count(*) || ' rows ' || coalesce(string_agg(t::text, ' | ' ORDER BY t::text), '') "
                            + "FROM " + table + " t")).append('\n');
        }
        return out.toString();
    }

    /** The first column of the first row, as text. */
    static String query(OminisDatabase db, String sql) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static void execute(OminisDatabase db, String sql) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

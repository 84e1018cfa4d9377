package io.ominis.db;

import io.ominis.db.internal.SqlErrors;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only facts about the database that an operator asks for: what is there and how big it is. Queries only the
 * PostgreSQL catalogues, never our tables' rows.
 */
public final class DatabaseInsight {

    private final Jdbi jdbi;

    public DatabaseInsight(DataSource dataSource) {
        this.jdbi = Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The size of one table with its indexes and TOAST data.
     *
     * @param pretty the size as PostgreSQL prints it, e.g. {@code 16 kB}
     */
    public record TableSize(String name, long bytes, String pretty) {
    }

    /** Every table of the current schema (Flyway's history excluded), by name. */
    public List<TableSize> tableSizes() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.relname AS name,
                               pg_total_relation_size(c.oid) AS bytes,
                               pg_size_pretty(pg_total_relation_size(c.oid)) AS pretty
                        FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = current_schema()
                          AND c.relkind IN ('r', 'p')
                          AND NOT c.relispartition
                          AND c.relname <> :history
                        ORDER BY c.relname""")
                .bind("history", Migrations.HISTORY_TABLE)
                .map((rs, ctx) -> new TableSize(rs.getString("name"), rs.getLong("bytes"), rs.getString("pretty")))
                .list()));
    }
}

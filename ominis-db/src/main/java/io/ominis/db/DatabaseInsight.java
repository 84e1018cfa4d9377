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

    /**
     * Every table of the current schema (Flyway's history excluded), by name; a partitioned table once, with the size
     * of all its partitions.
     */
    public List<TableSize> tableSizes() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.relname AS name, s.bytes, pg_size_pretty(s.bytes) AS pretty
                        FROM pg_class c
                        -- a partitioned table (cdr) holds nothing itself: its size is its partitions'
                        CROSS JOIN LATERAL (SELECT CASE WHEN c.relkind = 'p'
                                                        THEN (SELECT CAST(sum(pg_total_relation_size(t.relid)) AS bigint)
                                                              FROM pg_partition_tree(c.oid) t)
                                                        ELSE pg_total_relation_size(c.oid) END AS bytes) s
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

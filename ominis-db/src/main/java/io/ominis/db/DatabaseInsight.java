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
     * How much an index is used (the spec's "index usage" query).
     *
     * @param scans how often the index was scanned since statistics were reset
     */
    public record IndexUsage(String table, String index, long scans, long tuplesRead, long tuplesFetched, long bytes,
            String pretty) {
    }

    /**
     * One server session (the spec's "active queries" query), without the client's password or other secrets: the
     * query text is what PostgreSQL shows, cut to 1000 characters.
     */
    public record Session(int pid, String user, String application, String clientAddress, String state,
            java.time.OffsetDateTime queryStart, String query) {
    }

    /**
     * A CHECK constraint added {@code NOT VALID} whose validation failed when it was added: some rows stored before it
     * break its rule (migration V8 does this rather than refuse to upgrade). New writes are checked all the same.
     */
    public record UnvalidatedConstraint(String table, String constraint) {
    }

    /** CHECK constraints of the current schema that existing rows have not been proved to meet, by table and name. */
    public List<UnvalidatedConstraint> unvalidatedConstraints() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.conrelid::regclass::text AS table_name, c.conname
                        FROM pg_constraint c
                        JOIN pg_namespace n ON n.oid = c.connamespace
                        WHERE n.nspname = current_schema() AND c.contype = 'c' AND NOT c.convalidated
                        ORDER BY 1, 2""")
                .map((rs, ctx) -> new UnvalidatedConstraint(rs.getString("table_name"), rs.getString("conname")))
                .list()));
    }

    /** Every index of the current schema, most used first. */
    public List<IndexUsage> indexUsage() {
        return indexes(false);
    }

    /**
     * Indexes never scanned since statistics were reset: candidates for removal (the spec's "unused indexes"). Left
     * out because dropping them is never the answer: primary keys and unique indexes (they enforce a constraint
     * whether or not a query reads them) and the indexes on FreeSWITCH's own tables
     * ({@link io.ominis.db.admin.DbRoles#FREESWITCH_TABLES}), which our migrations create to match what FreeSWITCH
     * itself would create and which its queries, not ours, use.
     */
    public List<IndexUsage> unusedIndexes() {
        return indexes(true);
    }

    private List<IndexUsage> indexes(boolean unusedOnly) {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.relname AS table_name,
                               s.indexrelname AS index_name,
                               s.idx_scan,
                               s.idx_tup_read,
                               s.idx_tup_fetch,
                               pg_relation_size(s.indexrelid) AS bytes,
                               pg_size_pretty(pg_relation_size(s.indexrelid)) AS pretty
                        FROM pg_stat_user_indexes s
                        JOIN pg_index i ON i.indexrelid = s.indexrelid
                        WHERE s.schemaname = current_schema()
                          AND (NOT :unusedOnly
                               OR (s.idx_scan = 0 AND NOT i.indisprimary AND NOT i.indisunique
                                   AND s.relname <> ALL(:freeswitchTables)))
                        ORDER BY s.idx_scan DESC, s.relname, s.indexrelname""")
                .bind("unusedOnly", unusedOnly)
                .bindArray("freeswitchTables", String.class, io.ominis.db.admin.DbRoles.FREESWITCH_TABLES)
                .map((rs, ctx) -> new IndexUsage(rs.getString("table_name"), rs.getString("index_name"),
                        rs.getLong("idx_scan"), rs.getLong("idx_tup_read"), rs.getLong("idx_tup_fetch"),
                        rs.getLong("bytes"), rs.getString("pretty")))
                .list()));
    }

    /** How many sessions the server has, in all databases (the spec's "connection count"). */
    public long connectionCount() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                .mapTo(Long.class)
                .one()));
    }

    /** Sessions of this database that are running a statement now, longest-running first. */
    public List<Session> activeQueries() {
        return SqlErrors.guard(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT pid, usename, application_name, client_addr::text AS client_addr, state, query_start,
                               left(query, 1000) AS query
                        FROM pg_stat_activity
                        WHERE datname = current_database()
                          AND state = 'active'
                          AND pid <> pg_backend_pid()
                        ORDER BY query_start""")
                .map((rs, ctx) -> new Session(rs.getInt("pid"), rs.getString("usename"),
                        rs.getString("application_name"), rs.getString("client_addr"), rs.getString("state"),
                        rs.getObject("query_start", java.time.OffsetDateTime.class), rs.getString("query")))
                .list()));
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

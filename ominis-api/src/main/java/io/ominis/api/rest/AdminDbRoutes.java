package io.ominis.api.rest;

import static io.javalin.http.HandlerType.GET;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import io.ominis.db.DatabaseInsight;
import io.ominis.db.Migrations;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code /v1/admin/db/…}: read-only insight into the database an operator would otherwise get from psql — table sizes,
 * index usage, unused indexes, connections, active queries (the spec's monitoring queries) and the migration history.
 */
public final class AdminDbRoutes {

    /** One migration of the history. */
    @NullMarked
    public record MigrationView(@Nullable String version, String description, String script, String state,
            @Nullable Instant installedOn, @Nullable Integer executionMillis) {
    }

    /** The connection count. */
    @NullMarked
    public record ConnectionsView(long connections) {
    }

    private final DatabaseInsight insight;
    private final DataSource dataSource;

    private final JsonBodies bodies;

    /** The routes over {@code dataSource}; answers are written by {@code bodies}. */
    public AdminDbRoutes(DataSource dataSource, JsonBodies bodies) {
        this.bodies = bodies;
        this.dataSource = dataSource;
        this.insight = new DatabaseInsight(dataSource);
    }

    public void register(ApiRouter router) {
        String tag = "admin";
        router.add(Operation.json(GET, "/v1/admin/db/tables", tag, "Every table with its total size",
                DatabaseInsight.TableSize.class).listOf(), ctx -> bodies.send(ctx, insight.tableSizes()));
        router.add(Operation.json(GET, "/v1/admin/db/indexes", tag, "Index usage, most scanned first",
                DatabaseInsight.IndexUsage.class).listOf(), ctx -> bodies.send(ctx, insight.indexUsage()));
        router.add(Operation.json(GET, "/v1/admin/db/indexes/unused", tag, "Indexes never scanned",
                DatabaseInsight.IndexUsage.class).listOf(), ctx -> bodies.send(ctx, insight.unusedIndexes()));
        router.add(Operation.json(GET, "/v1/admin/db/connections", tag, "Sessions on the server",
                ConnectionsView.class), ctx -> bodies.send(ctx, new ConnectionsView(insight.connectionCount())));
        router.add(Operation.json(GET, "/v1/admin/db/queries", tag, "Statements running now, longest first",
                DatabaseInsight.Session.class).listOf(), ctx -> bodies.send(ctx, insight.activeQueries()));
        router.add(Operation.json(GET, "/v1/admin/db/migrations", tag, "The migration history",
                MigrationView.class).listOf(), ctx -> bodies.send(ctx, migrations()));
    }

    private List<MigrationView> migrations() {
        return Migrations.history(dataSource).stream()
                .map(m -> new MigrationView(m.getVersion() == null ? null : m.getVersion().getVersion(),
                        m.getDescription(), m.getScript(), m.getState().getDisplayName(),
                        m.getInstalledOn() == null ? null : m.getInstalledOn().toInstant(), m.getExecutionTime()))
                .toList();
    }
}

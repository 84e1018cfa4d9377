package io.ominis.api.rest;

import static io.javalin.http.HandlerType.GET;

import io.ominis.core.OminisException;
import io.ominis.db.ChangeListener;
import io.ominis.db.DatabaseInsight;
import io.ominis.db.Migrations;
import io.ominis.directory.DirectoryService;
import io.ominis.xmlrpc.NodeHealth;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * {@code GET /v1/admin/overview}: the facts an operator checks first, in one answer — the database, the migrations, the
 * FreeSWITCH nodes with their health, the directory cache and the change listener. The console's overview page reads
 * it; it answers 200 with what it could learn even when the database is down.
 */
public final class OverviewRoutes {

    /** The whole overview. */
    public record Overview(DatabaseFacts database, MigrationFacts migrations, List<NodeFacts> freeswitch,
            DirectoryCacheFacts directoryCache, String changeListener) {
    }

    /**
     * @param up          whether the database answered within a second
     * @param connections client sessions on the server, null when it could not be asked
     */
    public record DatabaseFacts(boolean up, Long connections) {
    }

    /**
     * @param latestApplied version of the newest applied migration, null when none or unknown
     * @param applied       migrations applied
     * @param pending       migrations on the class path not applied yet
     * @param failed        migrations recorded as failed
     */
    public record MigrationFacts(boolean current, String latestApplied, int applied, int pending, int failed) {
    }

    /** A FreeSWITCH node as the server's XML-RPC client last saw it. */
    public record NodeFacts(String node, String status, Instant lastSuccess, String lastError, Instant lastErrorAt,
            int consecutiveFailures, long answers, long failures) {

        static NodeFacts of(NodeHealth h) {
            return new NodeFacts(h.node(), h.healthy() ? "UP" : "DOWN", h.lastSuccess(), h.lastError(),
                    h.lastErrorAt(), h.consecutiveFailures(), h.answers(), h.failures());
        }
    }

    /** The directory cache's counters since start. */
    public record DirectoryCacheFacts(boolean caching, long size, long hits, long misses, long invalidations) {
    }

    private final DataSource dataSource;
    private final DatabaseInsight insight;
    private final BooleanSupplier databaseUp;
    private final Supplier<List<NodeHealth>> nodes;
    private final DirectoryService directory;
    private final ChangeListener listener;
    private final JsonBodies bodies;

    /**
     * @param databaseUp a bounded ping of the database (the readiness check's)
     * @param listener   the change listener, null when it is off
     */
    public OverviewRoutes(DataSource dataSource, BooleanSupplier databaseUp, Supplier<List<NodeHealth>> nodes,
            DirectoryService directory, ChangeListener listener, JsonBodies bodies) {
        this.dataSource = dataSource;
        this.insight = new DatabaseInsight(dataSource);
        this.databaseUp = databaseUp;
        this.nodes = nodes;
        this.directory = directory;
        this.listener = listener;
        this.bodies = bodies;
    }

    public void register(ApiRouter router) {
        router.add(Operation.json(GET, "/v1/admin/overview", "admin", "The database, migrations, FreeSWITCH nodes "
                + "with their health, the directory cache and the change listener, in one answer", Overview.class),
                ctx -> bodies.send(ctx, overview()));
    }

    /** The overview now; parts that need the database are left empty while it is down. */
    public Overview overview() {
        boolean up = databaseUp.getAsBoolean();
        Long connections = null;
        MigrationFacts migrations = null;
        if (up) {
            try {
                connections = insight.connectionCount();
                migrations = migrations(Migrations.history(dataSource));
            } catch (OminisException e) {
                // it went down between the ping and the queries: show it as down rather than fail the page
                up = false;
            }
        }
        return new Overview(new DatabaseFacts(up, connections), migrations,
                nodes.get().stream().map(NodeFacts::of).toList(),
                new DirectoryCacheFacts(directory.caching(), directory.size(), directory.hits(), directory.misses(),
                        directory.invalidations()),
                listener == null ? "off" : listener.healthy() ? "UP" : "DOWN");
    }

    private static MigrationFacts migrations(List<MigrationInfo> history) {
        int applied = 0;
        int pending = 0;
        int failed = 0;
        String latest = null;
        for (MigrationInfo m : history) {
            MigrationState state = m.getState();
            if (state == MigrationState.PENDING) {
                pending++;
            } else if (state.isFailed()) {
                failed++;
            } else if (state.isApplied()) {
                applied++;
                if (m.getVersion() != null) {
                    latest = m.getVersion().getVersion();
                }
            }
        }
        return new MigrationFacts(pending == 0 && failed == 0, latest, applied, pending, failed);
    }
}

package io.ominis.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.OminisException;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Migrations;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.SwitchControl;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.db.CoveringRuns;
import io.ominis.db.CdrPartitions;
import io.ominis.core.config.CdrSettings;
import io.ominis.api.cluster.ClusterRole;
import io.ominis.api.cluster.SharedAclReloads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: migrates (unless {@code OMINIS_MIGRATE_ON_START=false}), then serves HTTP until SIGTERM, when it stops
 * taking requests, finishes the ones in flight and closes the database pool.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP server (mod_xml_curl endpoints, REST API, health).")
public final class ServeCommand implements Callable<Integer> {

    /** Returned when the server runs on in its own threads: the JVM must not exit. */
    public static final int KEEP_RUNNING = Integer.MIN_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private final Map<String, String> env;

    @Spec
    private CommandSpec spec;

    public ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        HikariDataSource pool = null;
        try {
            ServerSettings settings = ServerSettings.fromEnvironment(env);
            settings.checkBindAddress();
            io.ominis.core.config.MigrationSettings migration = io.ominis.core.config.MigrationSettings.fromEnvironment(env);
            if (Migrations.createDatabaseIfAllowed(settings.database(), migration)) {
                LOG.info("created database '{}'", settings.database().database());
            }
            if (settings.migrateOnStart()) {
                // on connections of their own, under the migrations' timeout rather than the API's
                Migrations.Result result = Migrations.migrate(settings.database(), migration, new Migrations.Progress() {
                    @Override
                    public void started(String version, String description) {
                        LOG.info("migration V{} {}: started", version, description);
                    }

                    @Override
                    public void finished(String version, String description, Duration took, boolean ok) {
                        LOG.info("migration V{} {}: {} after {} ms", version, description, ok ? "done" : "FAILED",
                                took.toMillis());
                    }
                });
                LOG.info("schema at version {} ({} migration(s) applied)", result.schemaVersion(),
                        result.applied().size());
            }
            pool = ConnectionPool.open(settings.database());
            // ACL reloads shared with every other replica on this database: one reloadacl per node per burst
            SwitchControl nodes = FreeSwitchNodes.create(settings.freeSwitch(), new SharedAclReloads(
                    new CoveringRuns(pool, ClusterRole.replicaName(), Duration.ofSeconds(15))));
            OminisServer server = OminisServer.create(settings, pool, nodes);
            server.services().seedDomains().forEach(line -> LOG.info(line));
            server.start();
            // monthly cdr partitions ahead of time, on one replica of the cluster (retention stays cdr-maintenance's)
            int monthsAhead = CdrSettings.fromEnvironment(env).monthsAhead();
            CdrPartitions partitions = new CdrPartitions(pool);
            server.clusterRole().whileLeading("cdr partitions", Duration.ofHours(1), () -> partitions.ensureAhead(monthsAhead)
                    .forEach(c -> LOG.info("created cdr partition {} for {}", c.name(), c.month())));
            HikariDataSource owned = pool;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("stopping");
                server.close();
                if (nodes instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        LOG.warn("closing the FreeSWITCH clients: {}", e.getMessage());
                    }
                }
                owned.close();
            }, "ominis-shutdown"));
            LOG.info("Ominis listening on http://{}:{} with database {}", settings.bindHost(), server.port(),
                    settings.database().describe());
            LOG.info(server.accessDescription());
            try {
                String keys = server.undecryptableKeysReport();
                if (keys != null) {
                    LOG.warn(keys);
                }
            } catch (OminisException e) {
                LOG.warn("could not check the stored IVR OpenAI keys: {}", e.getMessage());
            }
            LOG.info(settings.freeSwitch().nodes().isEmpty()
                    ? "no FreeSWITCH node configured: agent/tier writes and ACL reloads answer 503 (set OMINIS_FREESWITCH_NODES)"
                    : "steering FreeSWITCH nodes " + settings.freeSwitch().nodes().stream().map(n -> n.name()).toList());
            return KEEP_RUNNING;
        } catch (OminisException e) {
            if (pool != null) {
                pool.close();
            }
            spec.commandLine().getErr().println("ominis serve: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            spec.commandLine().getErr().println("ominis serve: cannot start: " + e.getMessage());
            return 1;
        }
    }
}

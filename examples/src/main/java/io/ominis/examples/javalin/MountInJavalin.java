package io.ominis.examples.javalin;

import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Migrations;
import io.ominis.api.OminisApi;
import io.ominis.api.OminisServices;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.SwitchControl;
import java.util.EnumSet;
import java.util.Map;

/**
 * An existing Javalin app that mounts Ominis' management API and FreeSWITCH endpoints under {@code /ominis}, beside
 * its own routes, which keep their own JSON mapper and error handling.
 */
public final class MountInJavalin implements AutoCloseable {

    private final HikariDataSource pool;
    private final OminisServices ominis;
    private final Javalin app;

    private MountInJavalin(Map<String, String> env, int port) {
        ServerSettings settings = ServerSettings.fromEnvironment(env);
        pool = ConnectionPool.open(settings.database());
        Migrations.migrate(pool);
        ominis = OminisServices.create(settings, pool, SwitchControl.NONE);
        app = Javalin.create(config -> {
            config.routes.get("/", ctx -> ctx.result("my own app"));
            OminisApi.install(config, ominis, "/ominis",
                    EnumSet.of(OminisApi.Group.MANAGEMENT, OminisApi.Group.FREESWITCH, OminisApi.Group.OPERATIONS));
        }).start("127.0.0.1", port);
    }

    /** Starts the app on {@code port} (0 for any) over the database named by {@code env}. */
    public static MountInJavalin start(Map<String, String> env, int port) {
        return new MountInJavalin(env, port);
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        ominis.close();
        pool.close();
    }

    /** {@code java … MountInJavalin [port]} */
    public static void main(String[] args) {
        MountInJavalin running = start(System.getenv(), args.length > 0 ? Integer.parseInt(args[0]) : 7070);
        System.out.println("app at http://127.0.0.1:" + running.port() + "/, Ominis at /ominis/v1/…");
    }
}

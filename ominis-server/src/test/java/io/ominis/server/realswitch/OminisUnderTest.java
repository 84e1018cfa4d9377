package io.ominis.server.realswitch;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.db.ConnectionPool;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerFixture;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.SwitchControl;
import io.ominis.xmlrpc.FreeSwitchNodes;
import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.internal.FreePorts;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An Ominis server in this JVM, wired exactly as {@code serve} wires it (pool, FreeSWITCH nodes from the settings),
 * on a port chosen up front so that FreeSWITCH's configuration can name it before either starts, and so that a
 * restart comes back on the same port.
 */
final class OminisUnderTest implements BeforeAllCallback, AfterAllCallback {

    private final OminisDatabase db;
    private final Supplier<Map<String, String>> extraEnv;
    private final int port = FreePorts.pick(1)[0];

    private HikariDataSource pool;
    private SwitchControl nodes;
    private OminisServer server;

    OminisUnderTest(OminisDatabase db, Supplier<Map<String, String>> extraEnv) {
        this.db = db;
        this.extraEnv = extraEnv;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The environment {@code serve} would get. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(extraEnv.get());
        env.put("PORT", Integer.toString(port));
        env.put("OMINIS_BIND", "127.0.0.1");
        return ServerFixture.env(db, env);
    }

    synchronized void start() {
        ServerSettings settings = ServerSettings.fromEnvironment(env());
        pool = ConnectionPool.open(settings.database());
        nodes = FreeSwitchNodes.create(settings.freeSwitch());
        server = OminisServer.create(settings, pool, nodes).start();
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.close();
        if (nodes instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        pool.close();
        server = null;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    OminisServer server() {
        return server;
    }
}

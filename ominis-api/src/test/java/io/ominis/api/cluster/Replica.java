package io.ominis.api.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.ominis.db.ConnectionPool;
import io.ominis.api.ApiCalls;
import io.ominis.api.OminisServer;
import io.ominis.api.ServerSettings;
import io.ominis.xmlrpc.SwitchControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One server replica as a test runs it: an {@link OminisServer} with its own pool, change listener and caches,
 * listening on a free loopback port, called over real HTTP with bounded waits.
 */
final class Replica implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HikariDataSource pool;
    private final OminisServer server;
    private final SwitchControl switchControl;
    private final HttpClient http = io.ominis.api.ContractCheck.client(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());

    Replica(Map<String, String> env, SwitchControl switchControl) {
        this(env, pool -> switchControl);
    }

    /** A replica whose FreeSWITCH steering is made over its own pool (e.g. to share ACL reloads through it). */
    Replica(Map<String, String> env, java.util.function.Function<javax.sql.DataSource, SwitchControl> switchControl) {
        ServerSettings settings = ServerSettings.fromEnvironment(env);
        this.pool = ConnectionPool.open(settings.database());
        this.switchControl = switchControl.apply(pool);
        this.server = OminisServer.create(settings, pool, this.switchControl).start();
    }

    OminisServer server() {
        return server;
    }

    HikariDataSource pool() {
        return pool;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> json(String method, String path, String body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The directory answer mod_xml_curl gets for a REGISTER of {@code number}. */
    String directory(String number) throws Exception {
        return http.send(request("/v1/freeswitch/directory").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(ApiCalls.sipAuth(number, "d"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(REQUEST_TIMEOUT);
    }

    @Override
    public void close() {
        server.close();
        if (switchControl instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        pool.close();
    }
}

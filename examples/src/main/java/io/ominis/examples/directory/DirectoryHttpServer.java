package io.ominis.examples.directory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.directory.XmlCurlService;
import io.ominis.directory.XmlCurlSettings;
import io.ominis.xmlcurl.XmlDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The directory service in a plain JDK {@code HttpServer}: point mod_xml_curl's {@code gateway-url} at
 * {@code http://host:port/directory} and FreeSWITCH finds its SIP users in PostgreSQL, no web framework needed.
 */
public final class DirectoryHttpServer implements AutoCloseable {

    private final HikariDataSource pool;
    private final XmlCurlService service;
    private final HttpServer http;

    private DirectoryHttpServer(Map<String, String> env, int port) throws IOException {
        pool = ConnectionPool.open(DatabaseSettings.fromEnvironment(env));
        service = XmlCurlService.builder()
                .database(Database.create(pool))
                .settings(XmlCurlSettings.fromEnvironment(env))
                .build();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/directory", this::answer);
        http.start();
    }

    /** Serves the directory of the database named by {@code env} ({@code DB_DSN} or {@code DB_HOST}…) on {@code port}. */
    public static DirectoryHttpServer start(Map<String, String> env, int port) throws IOException {
        return new DirectoryHttpServer(env, port);
    }

    private void answer(HttpExchange exchange) throws IOException {
        // mod_xml_curl POSTs a form; a GET with a query string works the same, handy with curl
        String form = "POST".equals(exchange.getRequestMethod())
                ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                : exchange.getRequestURI().getRawQuery();
        XmlDocument document = service.answer(form == null ? "" : form);
        exchange.getResponseHeaders().set("Content-Type", XmlDocument.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, document.length());
        try (OutputStream body = exchange.getResponseBody()) {
            document.writeTo(body);
        }
    }

    /** The port listened on. */
    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        service.close();
        pool.close();
    }

    /** {@code java … DirectoryHttpServer [port]}: serves until stopped. */
    public static void main(String[] args) throws IOException {
        DirectoryHttpServer server = start(System.getenv(), args.length > 0 ? Integer.parseInt(args[0]) : 8081);
        System.out.println("directory at http://127.0.0.1:" + server.port() + "/directory");
    }
}

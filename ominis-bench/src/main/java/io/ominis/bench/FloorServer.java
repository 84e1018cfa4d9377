package io.ominis.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor for the directory benchmark: the least a JVM server can do to answer mod_xml_curl, so that Ominis's numbers
 * can be read as a fraction of what this machine allows. It is a measuring stick, not product code: no validation, no
 * access control, no time bound.
 *
 * <ul>
 *   <li>{@code fixed}: answers every request to {@code /v1/freeswitch/directory} with one fixed document (by default
 *   the file given with {@code --document}, which the runner fills with Ominis's own answer for a typical user, so
 *   both send the same number of bytes).</li>
 *   <li>{@code fixed} with {@code --serve PATH=FILE} (repeatable): answers each listed path (exactly, query ignored)
 *   with its file and anything else with 404, as {@code --content-type} (default {@code application/json}); the
 *   channel benchmark (api/run-channels.sh) serves Ominis's own answers for the three channel routes this way.</li>
 *   <li>{@code jdbc}: reads the {@code user} form field, does the point lookup on {@code extensions} over plain JDBC
 *   with a small HikariCP pool, and writes a document of the same shape with a {@link StringBuilder}.</li>
 * </ul>
 *
 * <p>Usage: {@code java -Dsun.net.httpserver.nodelay=true -jar ominis-bench.jar fixed|jdbc [--port N] [--threads N]
 * [--document FILE] [--serve PATH=FILE]… [--content-type TYPE] [--dsn jdbc:postgresql://…] [--pool N]}.
 */
public final class FloorServer {

    private static final String PATH = "/v1/freeswitch/directory";
    private static final String SQL = "SELECT number, password, display_name, email, department, status,"
            + " voicemail_json->>'enabled', voicemail_json->>'password' FROM extensions WHERE number = ?";
    private static final byte[] NOT_FOUND = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<document type=\"freeswitch/xml\">\n  <section name=\"result\">\n"
            + "    <result status=\"not found\"/>\n  </section>\n</document>\n").getBytes(StandardCharsets.UTF_8);

    private FloorServer() {
    }

    /** Starts the floor server; it runs until the process is stopped. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("fixed") || args[0].equals("jdbc"))) {
            System.err.println("usage: FloorServer fixed|jdbc [--port N] [--threads N] [--document FILE] "
                    + "[--serve PATH=FILE]… [--content-type TYPE] [--dsn jdbc:postgresql://…] [--pool N]");
            System.exit(2);
        }
        // The JDK server delays small writes (Nagle) unless told otherwise; the floor must not be handicapped by that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        String mode = args[0];
        int port = 8090;
        int threads = 0;
        int pool = 8;
        Path document = null;
        Map<String, byte[]> served = new HashMap<>();
        String contentType = "application/json";
        String dsn = "jdbc:postgresql://127.0.0.1:5432/ominis_bench?user=postgres";
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--document" -> document = Path.of(args[i + 1]);
                case "--serve" -> {
                    String[] pathAndFile = args[i + 1].split("=", 2);
                    served.put(pathAndFile[0], Files.readAllBytes(Path.of(pathAndFile[1])));
                }
                case "--content-type" -> contentType = args[i + 1];
                case "--dsn" -> dsn = args[i + 1];
                case "--pool" -> pool = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        HttpHandler handler;
        String context = PATH;
        if (mode.equals("fixed") && !served.isEmpty()) {
            String type = contentType;
            handler = exchange -> {
                drain(exchange.getRequestBody());
                byte[] body = served.get(exchange.getRequestURI().getPath());
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                send(exchange, type, body);
            };
            context = "/";
            threads = threads > 0 ? threads : cores + 1;
        } else if (mode.equals("fixed")) {
            byte[] body = document != null ? Files.readAllBytes(document) : defaultDocument();
            handler = exchange -> {
                drain(exchange.getRequestBody());
                send(exchange, body);
            };
            // Pure CPU work: one thread per core plus one, so a thread parked in a write does not idle a core.
            threads = threads > 0 ? threads : cores + 1;
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(dsn);
            config.setMaximumPoolSize(pool);
            config.setMinimumIdle(pool);
            config.setAutoCommit(true);
            HikariDataSource dataSource = new HikariDataSource(config);
            handler = exchange -> lookup(exchange, dataSource);
            // Each request blocks on the database; more threads than connections would only queue for the pool.
            threads = threads > 0 ? threads : pool;
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.createContext(context, handler);
        server.setExecutor(executor);
        server.start();
        System.out.println("floor " + mode + " listening on 127.0.0.1:" + port + " with " + threads + " threads");
    }

    private static void lookup(HttpExchange exchange, HikariDataSource dataSource) throws IOException {
        byte[] form = exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery();
        String text = form.length > 0 ? new String(form, StandardCharsets.ISO_8859_1) : query == null ? "" : query;
        String user = field(text, "user");
        String domain = field(text, "domain");
        if (user == null) {
            send(exchange, NOT_FOUND);
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"active".equals(rs.getString(6))) {
                    send(exchange, NOT_FOUND);
                    return;
                }
                send(exchange, render(domain == null ? "" : domain, rs).getBytes(StandardCharsets.UTF_8));
            }
        } catch (SQLException e) {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        }
    }

    /** The same elements, order and indentation as Ominis's user document, written by hand. */
    private static String render(String domain, ResultSet rs) throws SQLException {
        String number = rs.getString(1);
        String display = rs.getString(3);
        StringBuilder s = new StringBuilder(1400);
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document type=\"freeswitch/xml\">\n")
                .append("  <section name=\"directory\">\n    <domain name=\"").append(escape(domain)).append("\">\n")
                .append("      <params>\n        <param name=\"dial-string\" value=\"{presence_id=${dialed_user}@")
                .append("${dialed_domain}}${sofia_contact(${dialed_user}@${dialed_domain})}\"/>\n      </params>\n")
                .append("      <groups>\n        <group name=\"default\">\n          <users>\n")
                .append("            <user id=\"").append(escape(number)).append("\">\n              <params>\n");
        param(s, "param", "password", rs.getString(2));
        param(s, "param", "allow-empty-password", "false");
        param(s, "param", "vm-password", rs.getString(8));
        param(s, "param", "vm-enabled", rs.getString(7));
        s.append("              </params>\n              <variables>\n");
        param(s, "variable", "user_context", "default");
        param(s, "variable", "effective_caller_id_name", display == null ? number : display);
        param(s, "variable", "effective_caller_id_number", number);
        param(s, "variable", "accountcode", rs.getString(5));
        s.append("              </variables>\n            </user>\n          </users>\n        </group>\n")
                .append("      </groups>\n    </domain>\n  </section>\n</document>\n");
        return s.toString();
    }

    private static void param(StringBuilder s, String element, String name, String value) {
        if (value != null) {
            s.append("                <").append(element).append(" name=\"").append(name).append("\" value=\"")
                    .append(escape(value)).append("\"/>\n");
        }
    }

    private static String escape(String text) {
        StringBuilder s = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '$' -> "&#36;";
                default -> null;
            };
            if (r != null && s == null) {
                s = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (s != null) {
                s.append(r != null ? r : String.valueOf(c));
            }
        }
        return s == null ? text : s.toString();
    }

    /** The URL-decoded value of {@code name} in a form or query string, or null. */
    static String field(String form, String name) {
        int at = 0;
        while (at <= form.length()) {
            int end = form.indexOf('&', at);
            if (end < 0) {
                end = form.length();
            }
            if (form.startsWith(name, at) && at + name.length() < end && form.charAt(at + name.length()) == '=') {
                return URLDecoder.decode(form.substring(at + name.length() + 1, end), StandardCharsets.UTF_8);
            }
            at = end + 1;
        }
        return null;
    }

    /** One per executor thread, so that draining a request allocates nothing. */
    private static final ThreadLocal<byte[]> DRAIN = ThreadLocal.withInitial(() -> new byte[4096]);

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = DRAIN.get();
        while (in.read(buffer) >= 0) {
            // discard: the fixed floor answers the same whatever was asked
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        send(exchange, "text/xml; charset=utf-8", body);
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A typical user document, for running the fixed floor without a captured Ominis answer. */
    private static byte[] defaultDocument() {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document type=\"freeswitch/xml\">\n"
                + "  <section name=\"directory\">\n    <domain name=\"10.42.0.7\">\n      <groups>\n"
                + "        <group name=\"default\">\n          <users>\n            <user id=\"100001\">\n"
                + "              <params>\n                <param name=\"password\" value=\"pw-100001-secret\"/>\n"
                + "                <param name=\"allow-empty-password\" value=\"false\"/>\n              </params>\n"
                + "              <variables>\n                <variable name=\"user_context\" value=\"default\"/>\n"
                + "              </variables>\n            </user>\n          </users>\n        </group>\n"
                + "      </groups>\n    </domain>\n  </section>\n</document>\n").getBytes(StandardCharsets.UTF_8);
    }
}

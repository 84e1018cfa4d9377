import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.ominis.core.config.DatabaseSettings;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.Registration;
import io.ominis.db.ChannelDao;
import io.ominis.db.ConnectionPool;
import io.ominis.db.Database;
import io.ominis.db.RegistrationDao;
import io.ominis.xmlrpc.FreeSwitchClient;
import io.ominis.xmlrpc.FreeSwitchCommands;
import io.ominis.xmlrpc.internal.ShowJson;
import io.ominis.xmlrpc.internal.SwitchRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The spec's "database vs XML-RPC" comparison, measured: the same questions asked (a) of PostgreSQL through the Ominis
 * DAOs and (b) over mod_xml_rpc's {@code freeswitch.api} through {@link FreeSwitchClient}/{@link FreeSwitchCommands}.
 *
 * <p>The XML-RPC side talks to an in-process <b>FreeSWITCH stand-in</b>, not to FreeSWITCH: a JDK HttpServer on
 * 127.0.0.1 per switch (fs1, fs2, fs3) that answers {@code POST /RPC2} like mod_xml_rpc (Basic auth, 401 otherwise;
 * methodResponse with one string) and, like mod_commands' {@code show}, runs FreeSWITCH's own SQL (filtered to the
 * switch's hostname, built as text with quotes doubled as {@code %q} does) over one connection to the same database
 * and renders {@code {"row_count":N,"rows":[…]}} with every value a string (NULL as ""), unformatted like
 * {@code cJSON_PrintUnformatted}, or {@code "\nN total.\n"} for {@code count}. Real FreeSWITCH adds its own costs on
 * top (core DB handle locking, cJSON, the xmlrpc-c/abyss server), so the ratios are a lower bound on the real gap.
 *
 * <p>Run from the repository root against a migrated, seeded database (see run-xmlrpc.sh):
 * {@code DB_DSN=postgresql://postgres@127.0.0.1:5432/ominis_bench_xmlrpc java -cp ominis-server/target/ominis-server.jar
 * ominis-bench/api/XmlRpcVsDatabase.java}. Settings: {@code CALLS} (2000 timed calls per question and path),
 * {@code WARMUP} (500 untimed calls per question and path first).
 */
public class XmlRpcVsDatabase {

    static final String USER = "freeswitch";
    static final String PASSWORD = "works";
    static final List<String> NODES = List.of("fs1", "fs2", "fs3");
    /** Calls alternate between the two paths in blocks of this many, so drift on a shared machine hits both alike. */
    static final int BLOCK = 100;

    public static void main(String[] args) throws Exception {
        // Without TCP_NODELAY the JDK server's header and body writes meet the client's delayed ACK: +40 ms on every
        // small reply, a stand-in artefact that real FreeSWITCH would not show. Must be set before HttpServer loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int calls = Integer.parseInt(System.getenv().getOrDefault("CALLS", "2000"));
        int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "500"));
        if (calls < BLOCK || calls > 100_000 || warmup < 0 || warmup > 100_000) {
            throw new IllegalArgumentException("CALLS must be 100..100000 and WARMUP 0..100000");
        }
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(System.getenv());
        try (HikariDataSource pool = ConnectionPool.open(settings);
             HikariDataSource coreDb = ConnectionPool.open(settings.withPoolSize(1))) {
            Database db = Database.create(pool);
            Map<String, StandIn> standIns = new LinkedHashMap<>();
            Map<String, FreeSwitchClient> clients = new LinkedHashMap<>();
            try {
                for (String node : NODES) {
                    StandIn standIn = new StandIn(node, coreDb);
                    standIns.put(node, standIn);
                    clients.put(node, FreeSwitchClient.builder()
                            .baseUrl("http://127.0.0.1:" + standIn.port())
                            .name(node)
                            .user(USER)
                            .password(PASSWORD)
                            .maxReplyBytes(64L * 1024 * 1024)
                            .retries(0)
                            .readTimeout(Duration.ofSeconds(30))
                            .callTimeout(Duration.ofSeconds(30))
                            .build());
                }
                new XmlRpcVsDatabase(db, clients, calls, warmup).run(settings);
            } finally {
                standIns.values().forEach(StandIn::stop);
            }
        }
        // OkHttp's pool threads would keep the JVM alive for a minute
        System.exit(0);
    }

    private final Database db;
    private final Map<String, FreeSwitchClient> clients;
    private final Map<String, FreeSwitchCommands> commands = new LinkedHashMap<>();
    private final int calls;
    private final int warmup;
    private final List<String> table = new ArrayList<>();

    XmlRpcVsDatabase(Database db, Map<String, FreeSwitchClient> clients, int calls, int warmup) {
        this.db = db;
        this.clients = clients;
        clients.forEach((node, client) -> commands.put(node, new FreeSwitchCommands(client)));
        this.calls = calls;
        this.warmup = warmup;
    }

    void run(DatabaseSettings settings) {
        String fs1 = "fs1";
        FreeSwitchClient client = clients.get(fs1);
        FreeSwitchCommands cmd = commands.get(fs1);
        long total = db.channels().count();
        List<String> fs1Uuids = db.channels().listByHostname(fs1).stream().map(Channel::uuid).toList();
        List<String> allUuids = db.channels().list(ChannelDao.Query.first(ChannelDao.MAX_LIMIT)).stream()
                .map(Channel::uuid).toList();
        if (fs1Uuids.isEmpty() || total > ChannelDao.MAX_LIMIT) {
            throw new IllegalStateException("expected 1..1000 channels with some on fs1; seed with seed-switch.sql");
        }

        // Both paths must give the same answer before their speed means anything.
        same("all channels of fs1", uuids(db.channels().listByHostname(fs1)), uuids(cmd.showChannels()));
        String probe = fs1Uuids.get(fs1Uuids.size() / 2);
        same("channel by uuid", db.channels().find(probe).map(Channel::uuid), showChannelsLike(client, probe).map(Channel::uuid));
        same("channel by uuid, client-side filter", db.channels().find(probe).map(Channel::uuid),
                filtered(cmd, probe).map(Channel::uuid));
        same("channel count of fs1", db.channels().count(fs1), channelCount(client));
        same("registrations of fs1", regUsers(db.registrations().list(new RegistrationDao.Query(null, null, fs1, 1000))),
                regUsers(cmd.showRegistrations()));
        same("all channels, 3 switches", new HashSet<>(allUuids), new HashSet<>(uuids(allNodes(FreeSwitchCommands::showChannels))));
        same("registrations, 3 switches",
                regUsers(db.registrations().list(RegistrationDao.Query.first(1000))),
                regUsers(allNodes(FreeSwitchCommands::showRegistrations)));

        int jsonChannels = client.api("show", "channels as json").length();
        int jsonRegistrations = client.api("show", "registrations as json").length();

        System.out.printf(Locale.ROOT, "# Database vs XML-RPC, %d timed calls per question and path after %d warm-up calls%n%n",
                calls, warmup);
        System.out.println("""
                **The XML-RPC side is an in-process stand-in, not a real FreeSWITCH.** It answers `freeswitch.api` on
                `/RPC2` as mod_xml_rpc does (Basic auth, a methodResponse carrying one string) and, as mod_commands'
                `show` does, runs FreeSWITCH's own SQL (filtered to its hostname) on the same database over one
                connection and renders `{"row_count":N,"rows":[…]}` with every value a string. Real FreeSWITCH adds
                its own costs on top (core DB handle locking, cJSON, the xmlrpc-c/abyss HTTP server, a separate
                process), so every ratio below is a **lower bound** on the real gap. Database side: the Ominis DAOs
                over HikariCP. Both sides: sequential calls from one thread, over loopback, keep-alive connections;
                the two paths alternate in blocks of %d calls. Ratio = XML-RPC ÷ database.
                """.formatted(BLOCK));
        System.out.printf(Locale.ROOT, "Data: %d channels (%d on fs1), %d registrations, 3 switches. "
                        + "`show channels as json` on fs1: %,d characters; `show registrations as json`: %,d.%n%n",
                total, fs1Uuids.size(), db.registrations().count(), jsonChannels, jsonRegistrations);

        header("One switch (fs1): the same question of the database and of that switch");
        Random r1 = new Random(1);
        Random r2 = new Random(1);
        compare("all channels of fs1", "`channels().listByHostname(\"fs1\")`", "`showChannels()`",
                () -> db.channels().listByHostname(fs1).size(),
                () -> cmd.showChannels().size());
        compare("channel by uuid", "`channels().find(uuid)`", "`show channels like <uuid> as json` (FreeSWITCH's LIKE SQL)",
                () -> db.channels().find(pick(fs1Uuids, r1)).isPresent() ? 1 : 0,
                () -> showChannelsLike(client, pick(fs1Uuids, r2)).isPresent() ? 1 : 0);
        Random r3 = new Random(2);
        Random r4 = new Random(2);
        compare("channel by uuid", "`channels().find(uuid)`", "`showChannels()` filtered client-side",
                () -> db.channels().find(pick(fs1Uuids, r3)).isPresent() ? 1 : 0,
                () -> filtered(cmd, pick(fs1Uuids, r4)).isPresent() ? 1 : 0);
        compare("channel count of fs1", "`channels().count(\"fs1\")`", "`show channels count`",
                () -> (int) db.channels().count(fs1),
                () -> (int) channelCount(client));
        compare("registrations of fs1", "`registrations().list(hostname fs1, limit 1000)`", "`showRegistrations()`",
                () -> db.registrations().list(new RegistrationDao.Query(null, null, fs1, 1000)).size(),
                () -> cmd.showRegistrations().size());

        header("Whole cluster (3 switches): one query against one call per switch, as a client of FreeSWITCH must");
        compare("all channels", "`channels().list(first 1000)`", "`showChannels()` on fs1, fs2, fs3",
                () -> db.channels().list(ChannelDao.Query.first(1000)).size(),
                () -> allNodes(FreeSwitchCommands::showChannels).size());
        Random r5 = new Random(3);
        Random r6 = new Random(3);
        compare("channel by uuid, switch unknown", "`channels().find(uuid)`",
                "`show channels like <uuid>` on fs1, fs2, fs3 until found",
                () -> db.channels().find(pick(allUuids, r5)).isPresent() ? 1 : 0,
                () -> findAnywhere(pick(allUuids, r6)) ? 1 : 0);
        compare("channel count", "`channels().count()`", "`show channels count` on fs1, fs2, fs3",
                () -> (int) db.channels().count(),
                () -> (int) NODES.stream().mapToLong(n -> channelCount(clients.get(n))).sum());
        compare("registrations", "`registrations().list(first 1000)`", "`showRegistrations()` on fs1, fs2, fs3",
                () -> db.registrations().list(RegistrationDao.Query.first(1000)).size(),
                () -> allNodes(FreeSwitchCommands::showRegistrations).size());

        table.forEach(System.out::println);
        System.out.println();
        System.out.println("""
                Channel by uuid over XML-RPC: FreeSWITCH has no command that fetches one channel. `show channels like X`
                runs `select * from channels where hostname='<me>' and uuid like '%X%' or name like '%X%' or … or
                accountcode like '%X%' order by created_epoch` (mod_commands.c; note the missing parentheses, which
                also return other switches' rows whose name etc. contain X); the alternative is fetching
                `show channels as json` and filtering client-side. Both are shown. The database path uses the
                (uuid, hostname) index FreeSWITCH itself creates.""");
    }

    // ------------------------------------------------------------------------------------------- the two paths

    private static final Pattern TOTAL = Pattern.compile("(\\d+) total\\.");

    /** {@code show channels count}: FreeSWITCH prints {@code "\nN total.\n"}. */
    static long channelCount(FreeSwitchClient client) {
        String reply = client.api("show", "channels count");
        Matcher m = TOTAL.matcher(reply);
        if (!m.find()) {
            throw new IllegalStateException("unexpected reply to show channels count: " + reply);
        }
        return Long.parseLong(m.group(1));
    }

    /** {@code show channels like <uuid> as json}, keeping the row whose uuid is the one asked for. */
    static Optional<Channel> showChannelsLike(FreeSwitchClient client, String uuid) {
        String reply = client.api("show", "channels like " + uuid + " as json");
        return ShowJson.rows(reply).stream().map(row -> SwitchRows.channel(row, ""))
                .filter(c -> uuid.equals(c.uuid())).findFirst();
    }

    static Optional<Channel> filtered(FreeSwitchCommands cmd, String uuid) {
        return cmd.showChannels().stream().filter(c -> uuid.equals(c.uuid())).findFirst();
    }

    boolean findAnywhere(String uuid) {
        for (String node : NODES) {
            if (showChannelsLike(clients.get(node), uuid).isPresent()) {
                return true;
            }
        }
        return false;
    }

    <T> List<T> allNodes(java.util.function.Function<FreeSwitchCommands, List<T>> show) {
        List<T> all = new ArrayList<>();
        for (String node : NODES) {
            all.addAll(show.apply(commands.get(node)));
        }
        return all;
    }

    static String pick(List<String> uuids, Random random) {
        return uuids.get(random.nextInt(uuids.size()));
    }

    static List<String> uuids(List<Channel> channels) {
        return channels.stream().map(Channel::uuid).toList();
    }

    static Set<String> regUsers(List<Registration> registrations) {
        Set<String> keys = new HashSet<>();
        registrations.forEach(r -> keys.add(r.regUser() + "@" + r.realm() + "@" + r.hostname() + "@" + r.token()));
        return keys;
    }

    static void same(String what, Object database, Object xmlRpc) {
        if (!Objects.equals(database, xmlRpc)) {
            throw new IllegalStateException(what + ": the database and XML-RPC answers differ:\n  " + database + "\n  " + xmlRpc);
        }
    }

    // ----------------------------------------------------------------------------------------------- measuring

    interface Call {
        int run();
    }

    private boolean headerPending;
    private String section;

    void header(String title) {
        section = title;
        headerPending = true;
    }

    void compare(String question, String dbHow, String rpcHow, Call database, Call xmlRpc) {
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += database.run() + xmlRpc.run();
        }
        long[] dbNanos = new long[calls];
        long[] rpcNanos = new long[calls];
        for (int start = 0; start < calls; start += BLOCK) {
            int end = Math.min(calls, start + BLOCK);
            sink += time(database, dbNanos, start, end) + time(xmlRpc, rpcNanos, start, end);
        }
        if (sink == 42) {
            System.out.print("");
        }
        Stats d = Stats.of(dbNanos);
        Stats x = Stats.of(rpcNanos);
        if (headerPending) {
            table.add("");
            table.add("### " + section);
            table.add("");
            table.add("| question | database (Ominis DAO) | XML-RPC (stand-in) | database mean / p50 / p99 ms | XML-RPC mean / p50 / p99 ms | ratio mean | ratio p50 | ratio p99 |");
            table.add("|---|---|---|---|---|---|---|---|");
            headerPending = false;
        }
        table.add(String.format(Locale.ROOT, "| %s | %s | %s | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %.1f× | %.1f× | %.1f× |",
                question, dbHow, rpcHow, d.mean, d.p50, d.p99, x.mean, x.p50, x.p99,
                x.mean / d.mean, x.p50 / d.p50, x.p99 / d.p99));
        System.err.printf(Locale.ROOT, "%-32s db %.3f ms  xml-rpc %.3f ms (mean)  %s%n", question, d.mean, x.mean, rpcHow);
    }

    static int time(Call call, long[] nanos, int start, int end) {
        int sink = 0;
        for (int i = start; i < end; i++) {
            long t0 = System.nanoTime();
            sink += call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return sink;
    }

    record Stats(double mean, double p50, double p99) {
        static Stats of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
            return new Stats(mean, rank(sorted, 0.50), rank(sorted, 0.99));
        }

        /** Nearest-rank percentile, in ms. */
        static double rank(long[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    // ------------------------------------------------------------------------------------------ the stand-in

    /**
     * One FreeSWITCH node as far as {@code freeswitch.api show …} over mod_xml_rpc goes. Handles requests one at a
     * time on the server's dispatcher thread, over one database connection (FreeSWITCH's core DB handle).
     */
    static final class StandIn {
        private static final JsonFactory JSON = new JsonFactory();
        private static final XMLInputFactory XML_IN = XMLInputFactory.newFactory();
        private static final XMLOutputFactory XML_OUT = XMLOutputFactory.newFactory();

        static {
            XML_IN.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XML_IN.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        }

        private final String hostname;
        private final HikariDataSource coreDb;
        private final HttpServer server;
        private final String expectedAuthorization;

        StandIn(String hostname, HikariDataSource coreDb) throws IOException {
            this.hostname = hostname;
            this.coreDb = coreDb;
            this.expectedAuthorization = "Basic " + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/RPC2", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = readAll(exchange.getRequestBody());
                if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"freeswitch\"");
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                List<String> call = parseCall(body);
                String reply;
                if (!call.get(0).equals("freeswitch.api") && !call.get(0).equals("freeswitch_api") || call.size() != 3) {
                    reply = "ERROR!";
                } else {
                    reply = api(call.get(1), call.get(2));
                }
                byte[] out = methodResponse(reply);
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            } catch (RuntimeException | XMLStreamException e) {
                e.printStackTrace();
                exchange.sendResponseHeaders(500, -1);
            }
        }

        /** mod_commands' {@code show} for channels and registrations; anything else is "not found". */
        String api(String command, String argument) {
            if (!command.equals("show")) {
                return "ERROR!";
            }
            String[] argv = argument.trim().split(" +");
            String me = quote(hostname);
            String sql;
            boolean count = false;
            String as = null;
            if (argv[0].equals("channels") && argv.length > 2 && argv[1].equals("like")) {
                String like = argv[2].replace('\'', ' ').replace(';', ' ');
                String p = like.contains("%") ? quote(like) : quote("%" + like + "%");
                sql = "select * from channels where hostname='" + me + "' and uuid like '" + p + "' or name like '" + p
                        + "' or cid_name like '" + p + "' or cid_num like '" + p + "' or presence_data like '" + p
                        + "' or accountcode like '" + p + "' order by created_epoch";
                if (argv.length > 4 && argv[3].equals("as")) {
                    as = argv[4];
                }
            } else if (argv[0].equals("channels") || argv[0].equals("registrations")) {
                if (argv.length > 1 && argv[1].equals("count")) {
                    sql = "select count(*) from " + argv[0] + " where hostname='" + me + "'";
                    count = true;
                    if (argv.length > 3 && argv[2].equals("as")) {
                        as = argv[3];
                    }
                } else {
                    sql = "select * from " + argv[0] + " where hostname='" + me + "'"
                            + (argv[0].equals("channels") ? " order by created_epoch" : "");
                    if (argv.length > 2 && argv[1].equals("as")) {
                        as = argv[2];
                    }
                }
            } else {
                return "-USAGE: show channels|registrations …\n";
            }
            try (Connection c = coreDb.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                if (count) {
                    rs.next();
                    long n = rs.getLong(1);
                    return as == null ? "\n" + n + " total.\n" : "{\"row_count\":" + n + ",\"rows\":[]}";
                }
                if (!"json".equals(as)) {
                    return "-ERR the stand-in renders only 'as json' rows\n";
                }
                return json(rs);
            } catch (SQLException e) {
                return "-ERR SQL Error [" + e.getMessage() + "]\n";
            }
        }

        /** {@code cJSON_PrintUnformatted} of {"row_count":N,"rows":[{col:"value",…}]}; zero rows: {"row_count": 0}. */
        static String json(ResultSet rs) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            int columns = meta.getColumnCount();
            String[] names = new String[columns];
            for (int i = 0; i < columns; i++) {
                names[i] = meta.getColumnLabel(i + 1);
            }
            StringWriter rows = new StringWriter(64 * 1024);
            int n = 0;
            try (JsonGenerator g = JSON.createGenerator(rows)) {
                g.writeStartArray();
                while (rs.next()) {
                    g.writeStartObject();
                    for (int i = 0; i < columns; i++) {
                        String v = rs.getString(i + 1);
                        g.writeStringField(names[i], v == null ? "" : v);
                    }
                    g.writeEndObject();
                    n++;
                }
                g.writeEndArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (n == 0) {
                return "{\"row_count\": 0}\n";
            }
            return "{\"row_count\":" + n + ",\"rows\":" + rows + "}";
        }

        /** The {@code %q} of switch_mprintf: single quotes doubled. */
        static String quote(String s) {
            return s.replace("'", "''");
        }

        static List<String> parseCall(byte[] body) throws XMLStreamException {
            XMLStreamReader r = XML_IN.createXMLStreamReader(new java.io.ByteArrayInputStream(body));
            List<String> out = new ArrayList<>();
            StringBuilder text = null;
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (name.equals("methodName") || name.equals("string")) {
                        text = new StringBuilder();
                    }
                } else if (e == XMLStreamConstants.CHARACTERS && text != null) {
                    text.append(r.getText());
                } else if (e == XMLStreamConstants.END_ELEMENT) {
                    String name = r.getLocalName();
                    if ((name.equals("methodName") || name.equals("string")) && text != null) {
                        out.add(text.toString());
                        text = null;
                    }
                }
            }
            if (out.isEmpty()) {
                out.add("");
            }
            return out;
        }

        static byte[] methodResponse(String value) throws XMLStreamException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length() + 256);
            XMLStreamWriter w = XML_OUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\r\n");
            w.writeStartElement("methodResponse");
            w.writeCharacters("\r\n");
            w.writeStartElement("params");
            w.writeCharacters("\r\n");
            w.writeStartElement("param");
            w.writeStartElement("value");
            w.writeStartElement("string");
            w.writeCharacters(value);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            w.writeCharacters("\r\n");
            w.writeEndElement();
            w.writeCharacters("\r\n");
            w.writeEndElement();
            w.writeCharacters("\r\n");
            w.writeEndDocument();
            w.close();
            return out.toByteArray();
        }

        static byte[] readAll(InputStream in) throws IOException {
            return in.readAllBytes();
        }
    }
}

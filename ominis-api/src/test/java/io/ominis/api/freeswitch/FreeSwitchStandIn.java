package io.ominis.api.freeswitch;

import io.ominis.testing.OminisDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An in-process FreeSWITCH for tests: answers {@code freeswitch.api} over XML-RPC the way mod_xml_rpc does, and for
 * {@code callcenter_config} writes the tables the way mod_callcenter does (its own SQL shapes and replies, per
 * freeswitch-facts §2.3 and §2.5), so that a test can follow a change from our API through "FreeSWITCH" into the
 * database and back.
 */
public final class FreeSwitchStandIn implements AutoCloseable {

    private static final Pattern STRING = Pattern.compile("<string>(.*?)</string>", Pattern.DOTALL);

    private final MockWebServer server = new MockWebServer();
    private final OminisDatabase db;
    private final Set<String> loadedQueues = ConcurrentHashMap.newKeySet();
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();

    public FreeSwitchStandIn(OminisDatabase db, String... queues) throws IOException {
        this.db = db;
        loadedQueues.addAll(List.of(queues));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!"/RPC2".equals(request.getPath())) {
                    return new MockResponse().setResponseCode(404);
                }
                List<String> params = new ArrayList<>();
                Matcher m = STRING.matcher(request.getBody().readUtf8());
                while (m.find()) {
                    params.add(unescape(m.group(1)));
                }
                String command = params.get(0) + (params.get(1).isEmpty() ? "" : " " + params.get(1));
                if (command.equals("switchname")) {
                    probes.incrementAndGet(); // the node watch's probe, not a command a test steers
                } else {
                    commands.add(command);
                }
                return reply(answer(params.get(0), params.get(1)));
            }
        });
        server.start();
    }

    /** The commands received so far (the node watch's probes left out), for tests in other packages. */
    public List<String> commandsReceived() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    public String url() {
        return url(server.getPort());
    }

    /** The URL with this stand-in's credentials on another port, e.g. a {@code TcpProxy} in front of it. */
    public static String url(int port) {
        return "http://freeswitch:works@127.0.0.1:" + port;
    }

    public int port() {
        return server.getPort();
    }

    /** The queues loaded on this stand-in now. */
    java.util.Set<String> loadedQueues() {
        return java.util.Set.copyOf(loadedQueues);
    }

    /** How many {@code switchname} probes (NodeWatch) it answered; they are kept out of {@link #commands}. */
    public int probes() {
        return probes.get();
    }

    public long count(String prefix) {
        synchronized (commands) {
            return commands.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }

    private String answer(String command, String args) {
        try {
            return switch (command) {
                case "reloadacl" -> "+OK acl reloaded\n";
                case "switchname" -> "standin-switch";
                case "xml_flush_cache" -> "+OK cleared 1 entry\n";
                case "callcenter_config" -> callcenter(tokens(args));
                default -> "ERROR!";
            };
        } catch (SQLException e) {
            return "-ERR " + e.getMessage() + "\n";
        }
    }

    /** Splits like mod_callcenter: on spaces, with single quotes grouping a value. */
    private static List<String> tokens(String args) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    private String callcenter(List<String> a) throws SQLException {
        String what = a.get(0) + " " + a.get(1);
        switch (what) {
            case "agent add": {
                if (exists("SELECT count(*) FROM agents WHERE name = ?", a.get(2))) {
                    return "-ERR Agent already exist!\n";
                }
                if (!a.get(3).equalsIgnoreCase("callback") && !a.get(3).equalsIgnoreCase("uuid-standby")) {
                    return "-ERR Agent type invalid!\n";
                }
                update("INSERT INTO agents (name, instance_id, type, status, state) "
                        + "VALUES(?, 'single_box', ?, 'Logged Out', 'Waiting')", a.get(2), a.get(3));
                return "+OK\n";
            }
            case "agent del":
                update("DELETE FROM agents WHERE name = ?", a.get(2));
                update("DELETE FROM tiers WHERE agent = ?", a.get(2));
                return "+OK\n";
            case "agent set": {
                String key = a.get(2);
                String name = a.get(3);
                String value = a.get(4);
                if (!exists("SELECT count(*) FROM agents WHERE name = ?", name)) {
                    return "-ERR Agent not found!\n";
                }
                switch (key) {
                    case "status" -> update("UPDATE agents SET status = ?, last_status_change = CAST(? AS integer) WHERE name = ?",
                            value, Long.toString(System.currentTimeMillis() / 1000), name);
                    case "state" -> update("UPDATE agents SET state = ? WHERE name = ?", value, name);
                    case "contact" -> update("UPDATE agents SET contact = ?, instance_id = 'single_box' WHERE name = ?",
                            value, name);
                    case "type" -> update("UPDATE agents SET type = ? WHERE name = ?", value, name);
                    case "max_no_answer", "wrap_up_time", "ready_time", "reject_delay_time", "busy_delay_time",
                            "no_answer_delay_time" -> update("UPDATE agents SET " + key
                            + " = CAST(? AS integer), instance_id = 'single_box' WHERE name = ?", value, name);
                    default -> {
                        return "-ERR Invalid Agent Update KEY!\n";
                    }
                }
                return "+OK\n";
            }
            case "tier add": {
                String queue = a.get(2);
                String agent = a.get(3);
                // The real switch asks Ominis for callcenter.conf with CC-Queue and is always given the queue, so a tier
                // may name a queue no node has loaded yet (CallcenterAndAclTest on FreeSWITCH 1.10.12).
                loadedQueues.add(queue);
                if (!exists("SELECT count(*) FROM agents WHERE name = ?", agent)) {
                    return "-ERR Agent not found!\n";
                }
                if (exists("SELECT count(*) FROM tiers WHERE agent = ? AND queue = ?", agent, queue)) {
                    return "-ERR Tier already exist!\n";
                }
                update("INSERT INTO tiers (queue, agent, state, level, position) VALUES(?, ?, 'Ready', CAST(? AS integer), "
                        + "CAST(? AS integer))", queue, agent, a.size() > 4 ? a.get(4) : "1", a.size() > 5 ? a.get(5) : "1");
                return "+OK\n";
            }
            case "tier set": {
                String key = a.get(2);
                if (!exists("SELECT count(*) FROM tiers WHERE queue = ? AND agent = ?", a.get(3), a.get(4))) {
                    return "-ERR Agent not found!\n";
                }
                switch (key) {
                    case "state" -> update("UPDATE tiers SET state = ? WHERE queue = ? AND agent = ?", a.get(5), a.get(3),
                            a.get(4));
                    case "level", "position" -> update("UPDATE tiers SET " + key
                            + " = CAST(? AS integer) WHERE queue = ? AND agent = ?", a.get(5), a.get(3), a.get(4));
                    default -> {
                        return "-ERR Invalid Tier Update KEY!\n";
                    }
                }
                return "+OK\n";
            }
            case "queue load", "queue reload":
                loadedQueues.add(a.get(2));
                return "+OK\n";
            case "queue unload":
                loadedQueues.remove(a.get(2));
                return "+OK\n";
            case "tier del":
                update("DELETE FROM tiers WHERE queue = ? AND agent = ?", a.get(2), a.get(3));
                return "+OK\n";
            default:
                return "-ERR Invalid!\n";
        }
    }

    private boolean exists(String sql, String... args) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private void update(String sql, String... args) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            st.executeUpdate();
        }
    }

    private static MockResponse reply(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return new MockResponse().setHeader("Content-Type", "text/xml").setBody(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<methodResponse>\n<params>\n<param><value><string>"
                        + escaped + "</string></value></param>\n</params>\n</methodResponse>\n");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}

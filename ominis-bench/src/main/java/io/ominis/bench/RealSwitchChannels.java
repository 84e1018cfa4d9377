package io.ominis.bench;

import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Live channels on a real FreeSWITCH 1.10.12: Ominis's {@code GET /v1/channels}, {@code /v1/channels/{uuid}} and
 * {@code /v1/channels/count} (one indexed query on the shared database) against asking the switch itself over XML-RPC
 * ({@code show channels as json}, {@code uuid_dump}, {@code show channels count}), one request at a time, in one run.
 *
 * <p>Processes as in production: the Ominis server jar in its own JVM ({@code serve}), FreeSWITCH started by
 * {@link RealFreeSwitch} on exactly what {@code freeswitch-config} generates, parked loopback calls for the channels.
 * Both sides are asked by the same OkHttp client with keep-alive over loopback, then, when {@code wrk} is installed,
 * by {@code wrk -t1 -c1}, whose figures judge the goal: a C client adds the least time of its own to either side.
 *
 * <p>Usage: {@code RealSwitchChannels --server-jar PATH [--channels 50,500] [--requests 2000] [--wrk-seconds 10]
 * [--out FILE]}; exits 1
 * when Ominis's list is not at least {@code --goal} (default 10) times faster at p50 than {@code show channels as json}
 * at the smallest channel count.
 */
public final class RealSwitchChannels {

    private final Path serverJar;
    private final List<Integer> channelCounts;
    private final int requests;
    private final double goal;
    private final Wrk wrk;
    private final OkHttpClient http = new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(30, TimeUnit.SECONDS).build();

    private RealSwitchChannels(Path serverJar, List<Integer> channelCounts, int requests, double goal, Wrk wrk) {
        this.serverJar = serverJar;
        this.channelCounts = channelCounts;
        this.requests = requests;
        this.goal = goal;
        this.wrk = wrk;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        if (!opts.containsKey("--server-jar")) {
            System.err.println("usage: RealSwitchChannels --server-jar PATH [--channels 50,500] [--requests 2000] "
                    + "[--goal 10] [--wrk-seconds 10] [--out FILE]");
            System.exit(2);
        }
        List<Integer> counts = Arrays.stream(opts.getOrDefault("--channels", "50,500").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        RealSwitchChannels bench = new RealSwitchChannels(Path.of(opts.get("--server-jar")), counts,
                Integer.parseInt(opts.getOrDefault("--requests", "2000")),
                Double.parseDouble(opts.getOrDefault("--goal", "10")),
                Wrk.find(Integer.parseInt(opts.getOrDefault("--wrk-seconds", "10"))));
        String report = bench.run();
        System.out.println(report);
        if (opts.containsKey("--out")) {
            Files.writeString(Path.of(opts.get("--out")), report);
        }
        System.exit(report.contains("BELOW GOAL") ? 1 : 0);
    }

    /** One measured route: latencies in microseconds. */
    record Series(String name, long[] micros) {
        double p(double q) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
        }
    }

    /**
     * Runs {@code wrk -t1 -c1 --latency} against a route, for figures without a JVM client's own time: reading the
     * 43 kB list through OkHttp added about 0.3 ms to each side's p50 on this machine.
     */
    static final class Wrk {
        /** p50 and p99 in milliseconds, requests a second. */
        record Figures(double p50, double p99, double rps) {
        }

        private final int seconds;

        Wrk(int seconds) {
            this.seconds = seconds;
        }

        /** wrk from PATH, or null when it is not installed. */
        static Wrk find(int seconds) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (Files.isExecutable(Path.of(dir, "wrk"))) {
                    return new Wrk(seconds);
                }
            }
            return null;
        }

        /** A measured GET. */
        Figures get(String url) throws Exception {
            return run(url, null);
        }

        /** A measured {@code freeswitch.api} call, with the body and credentials {@link #rpc} sends. */
        Figures rpc(String url, String command, String argument) throws Exception {
            String lua = "wrk.method = \"POST\"\n"
                    + "wrk.body = [[" + rpcBody(command, argument) + "]]\n"
                    + "wrk.headers[\"Content-Type\"] = \"text/xml\"\n"
                    + "wrk.headers[\"Authorization\"] = \"" + okhttp3.Credentials.basic(RealFreeSwitch.XMLRPC_USER,
                            RealFreeSwitch.XMLRPC_PASSWORD) + "\"\n";
            return run(url, lua);
        }

        private Figures run(String url, String lua) throws Exception {
            List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c1", "-d" + seconds + "s", "--latency"));
            Path script = null;
            if (lua != null) {
                script = Files.createTempFile("ominis-wrk", ".lua");
                Files.writeString(script, lua);
                command.addAll(List.of("-s", script.toString()));
            }
            command.add(url);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("Non-2xx")) {
                throw new IllegalStateException("wrk on " + url + " failed:\n" + output);
            }
            if (script != null) {
                Files.delete(script);
            }
            return new Figures(latency(output, "50%"), latency(output, "99%"),
                    Double.parseDouble(output.replaceAll("(?s).*Requests/sec:\\s*([0-9.]+).*", "$1")));
        }

        private static double latency(String output, String percentile) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s" + percentile
                    + "\\s+([0-9.]+)(us|ms|s)\\b").matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("no " + percentile + " in wrk's output:\n" + output);
            }
            double value = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> value / 1000;
                case "ms" -> value;
                default -> value * 1000;
            };
        }
    }

    private String run() throws Exception {
        String dbName = "ominis_bench_realswitch";
        Path work = Files.createDirectories(Path.of("target", "realswitch-bench").toAbsolutePath());
        OminisProcess ominis = new OminisProcess(serverJar, dbName, work);
        RealFreeSwitch fs = RealFreeSwitch.builder().configuration(sw -> ominis.generatedConfiguration(sw, work))
                .build();
        ominis.nodes(fs.nodeSetting());
        ominis.exec("migrate");
        Process server = ominis.start(work.resolve("server.log"));
        StringBuilder out = new StringBuilder();
        try {
            fs.use(work.resolve("freeswitch"));
            fs.start();
            out.append(header(fs));
            String rpcUrl = "http://127.0.0.1:" + fs.xmlRpcPort() + "/RPC2";
            String base = ominis.baseUrl();
            boolean belowGoal = false;
            int live = 0;
            for (int target : channelCounts) {
                live = park(fs, live, target, dbName);
                int channels = live;
                String uuid = anyUuid(dbName);
                double pgMillis = postgresMillis(dbName, target);
                List<Series[]> pairs = new ArrayList<>();
                pairs.add(new Series[] {
                    measure("GET /v1/channels?limit=" + Math.max(100, target), () -> get(base + "/v1/channels?limit="
                            + Math.max(100, target))),
                    measure("show channels as json", () -> rpc(rpcUrl, "show", "channels as json"))});
                pairs.add(new Series[] {
                    measure("GET /v1/channels/{uuid}", () -> get(base + "/v1/channels/" + uuid)),
                    measure("uuid_dump {uuid}", () -> rpc(rpcUrl, "uuid_dump", uuid))});
                pairs.add(new Series[] {
                    measure("GET /v1/channels/count", () -> get(base + "/v1/channels/count")),
                    measure("show channels count", () -> rpc(rpcUrl, "show", "channels count"))});
                String listUrl = base + "/v1/channels?limit=" + Math.max(100, target);
                Wrk.Figures[] wrkPairs = wrk == null ? null : new Wrk.Figures[] {
                    wrk.get(listUrl), wrk.rpc(rpcUrl, "show", "channels as json"),
                    wrk.get(base + "/v1/channels/" + uuid), wrk.rpc(rpcUrl, "uuid_dump", uuid),
                    wrk.get(base + "/v1/channels/count"), wrk.rpc(rpcUrl, "show", "channels count")};
                out.append(String.format(Locale.ROOT, "%n### %d live channels (PostgreSQL runs the list query in "
                        + "%.3f ms)%n%n", channels, pgMillis));
                out.append("One OkHttp client (JVM) for both sides, one request at a time:\n\n");
                out.append("| Ominis route | p50 ms | p99 ms | XML-RPC command | p50 ms | p99 ms | p50 ratio | p99 ratio |\n");
                out.append("|---|---|---|---|---|---|---|---|\n");
                for (Series[] pair : pairs) {
                    double ratio = pair[1].p(0.5) / pair[0].p(0.5);
                    out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s | %.3f | %.3f | %.1f× | %.1f× |%n",
                            pair[0].name(), pair[0].p(0.5), pair[0].p(0.99), pair[1].name(), pair[1].p(0.5),
                            pair[1].p(0.99), ratio, pair[1].p(0.99) / pair[0].p(0.99)));
                }
                double listRatio = pairs.get(0)[1].p(0.5) / pairs.get(0)[0].p(0.5);
                String judge = "the OkHttp client";
                if (wrkPairs != null) {
                    out.append(String.format(Locale.ROOT, "%nThe same pairs measured by `wrk -t1 -c1 --latency`, %d s "
                            + "each (a C client: the least time of its own on both sides):%n%n", wrk.seconds));
                    out.append("| Ominis route | p50 ms | p99 ms | XML-RPC command | p50 ms | p99 ms | p50 ratio | p99 ratio |\n");
                    out.append("|---|---|---|---|---|---|---|---|\n");
                    for (int i = 0; i < pairs.size(); i++) {
                        Wrk.Figures ours = wrkPairs[2 * i];
                        Wrk.Figures theirs = wrkPairs[2 * i + 1];
                        out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s | %.3f | %.3f | %.1f× | %.1f× |%n",
                                pairs.get(i)[0].name(), ours.p50(), ours.p99(), pairs.get(i)[1].name(), theirs.p50(),
                                theirs.p99(), theirs.p50() / ours.p50(), theirs.p99() / ours.p99()));
                    }
                    listRatio = wrkPairs[1].p50() / wrkPairs[0].p50();
                    judge = "wrk";
                }
                if (target == channelCounts.get(0) && listRatio < goal) {
                    belowGoal = true;
                    out.append(String.format(Locale.ROOT, "%nBELOW GOAL: the channel list is %.1f× faster than "
                            + "`show channels as json` at %d channels by %s; the goal is %.0f×%n", listRatio, target,
                            judge, goal));
                }
            }
            if (!belowGoal) {
                out.append(String.format(Locale.ROOT, "%nGoal met: the channel list is at least %.0f× faster than "
                        + "`show channels as json` at %d channels.%n", goal, channelCounts.get(0)));
            }
            fs.api("hupall", "NORMAL_CLEARING");
        } finally {
            fs.stop();
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        return out.toString();
    }

    private String header(RealFreeSwitch fs) throws IOException {
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        return String.format(Locale.ROOT, "## Live channels on a real FreeSWITCH: Ominis vs XML-RPC%n%n"
                + "FreeSWITCH %s, %d requests per route after %d warm-up requests, one at a time, keep-alive, no "
                + "compression, loopback, one OkHttp client for both sides, each answer read whole as bytes. "
                + "Load average before: %s; %d cores.%n", fs.prefix().getFileName(), requests, warmUp(), load,
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * Requests sent before measuring each route: at least 5,000, because the server compiles its per-request code
     * only after a few thousand calls (with a quarter of 2,000 the list measured 1.55 ms, warm 0.76 ms).
     */
    private int warmUp() {
        return Math.max(5_000, requests / 4);
    }

    private Series measure(String name, Supplier<Object> call) {
        for (int i = 0; i < warmUp(); i++) {
            call.get();
        }
        long[] micros = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            call.get();
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        return new Series(name, micros);
    }

    /**
     * One {@code freeswitch.api} call, its whole answer read as bytes: like {@link #get}, the time until the answer
     * is in, without either side's parsing (Ominis's own client would add XML decoding on this side).
     */
    private int rpc(String url, String command, String argument) {
        String body = rpcBody(command, argument);
        Request request = new Request.Builder().url(url).header("Authorization",
                okhttp3.Credentials.basic(RealFreeSwitch.XMLRPC_USER, RealFreeSwitch.XMLRPC_PASSWORD))
                .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("text/xml"))).build();
        try (Response r = http.newCall(request).execute()) {
            byte[] answer = r.body().bytes();
            if (r.code() != 200 || answer.length < 100) {
                throw new IllegalStateException(command + " answered " + r.code() + ": " + new String(answer));
            }
            return answer.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rpcBody(String command, String argument) {
        return "<?xml version=\"1.0\"?><methodCall><methodName>freeswitch.api</methodName><params>"
                + "<param><value><string>" + command + "</string></value></param>"
                + "<param><value><string>" + argument + "</string></value></param></params></methodCall>";
    }

    private String get(String url) {
        // identity, as mod_xml_rpc answers: OkHttp would otherwise ask for gzip and spend the time on both ends
        try (Response r = http.newCall(new Request.Builder().url(url).header("Accept-Encoding", "identity").build())
                .execute()) {
            byte[] body = r.body().bytes();
            if (r.code() != 200) {
                throw new IllegalStateException(url + " answered " + r.code() + ": " + new String(body));
            }
            return Integer.toString(body.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parks loopback calls (two channels each) until FreeSWITCH and the database both count {@code target}; an
     * originate that the switch refused under the burst is made up for.
     */
    private int park(RealFreeSwitch fs, int live, int target, String db) throws Exception {
        int missing = target - live;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < missing; i += 2) {
                fs.api("bgapi", "originate loopback/park/default &park");
                if (i % 100 == 98) {
                    Thread.sleep(300); // stays under the generated 200 new sessions a second
                }
            }
            long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int counted = 0;
            while (System.nanoTime() < settle) {
                counted = switchCount(fs);
                if (counted >= target && count(db) == counted) {
                    return counted; // a late leg of a refused pair can leave one more than asked for
                }
                Thread.sleep(200);
            }
            missing = target - counted;
            if (missing <= 0) {
                break;
            }
        }
        throw new IllegalStateException("FreeSWITCH did not settle at " + target + " live channels: "
                + fs.api("show", "channels count").strip() + ", database " + count(db));
    }

    private static int switchCount(RealFreeSwitch fs) {
        String text = fs.api("show", "channels count").strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) total").matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static long count(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM channels")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String anyUuid(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT uuid FROM channels ORDER BY created_epoch LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** PostgreSQL's own execution time for the list, median of 50 EXPLAIN ANALYZE runs. */
    private static double postgresMillis(String db, int limit) throws Exception {
        double[] times = new double[50];
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres");
             Statement st = c.createStatement()) {
            for (int i = 0; i < times.length; i++) {
                try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM channels "
                        + "ORDER BY created_epoch, uuid LIMIT " + Math.max(100, limit))) {
                    rs.next();
                    String json = rs.getString(1);
                    int at = json.indexOf("\"Execution Time\": ") + "\"Execution Time\": ".length();
                    times[i] = Double.parseDouble(json.substring(at, json.indexOf('\n', at)).replace(",", "").strip());
                }
            }
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}

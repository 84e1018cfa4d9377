package io.ominis.bench;

import io.ominis.xmlrpc.FreeSwitchClient;
import io.ominis.xmlrpc.FreeSwitchNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XML-RPC side of the channel benchmark (api/run-channels.sh {@code --xmlrpc URL}): asks one FreeSWITCH node, over
 * mod_xml_rpc through the project's own {@link FreeSwitchClient}, what Ominis answers from the database —
 * {@code show channels as json} (like {@code GET /v1/channels}) and {@code uuid_dump <uuid>} (like
 * {@code GET /v1/channels/{uuid}}) — one call at a time over one kept-alive connection, and prints each command's
 * latency percentiles.
 *
 * <p>Usage: {@code java -cp ominis-bench.jar io.ominis.bench.XmlRpcLatency --url http://user:password@host:8080
 * [--calls N] [--warmup N] [--uuid UUID]}. Without {@code --uuid} the first channel of {@code show channels} is dumped.
 * Output, one tab-separated line per command: name, p50 ms, p99 ms, calls, reply bytes.
 */
public final class XmlRpcLatency {

    private static final Pattern UUID = Pattern.compile("\"uuid\"\\s*:\\s*\"([^\"]+)\"");

    private XmlRpcLatency() {
    }

    /** Runs the measurement and prints one line per command. */
    public static void main(String[] args) {
        String url = null;
        String uuid = null;
        int calls = 2000;
        int warmup = 200;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--uuid" -> uuid = args[i + 1];
                case "--calls" -> calls = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || calls < 1) {
            System.err.println("usage: XmlRpcLatency --url http://user:password@host:port [--calls N] [--warmup N] [--uuid UUID]");
            System.exit(2);
        }
        // the server's own parser of OMINIS_FREESWITCH_NODES entries: the same URL rules and error texts
        FreeSwitchNode node;
        try {
            node = FreeSwitchNode.parseAll("switch=" + url).get(0);
        } catch (RuntimeException e) {
            System.err.println("--url: " + e.getMessage());
            System.exit(2);
            return;
        }
        FreeSwitchClient client = FreeSwitchClient.builder()
                .baseUrl(node.baseUrl())
                .name(node.name())
                .user(node.user())
                .password(node.password())
                .maxReplyBytes(64L * 1024 * 1024)
                .retries(0)
                .readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        String channels = client.api("show", "channels as json");
        if (uuid == null) {
            Matcher m = UUID.matcher(channels);
            if (!m.find()) {
                System.err.println("show channels as json listed no channel; pass --uuid");
                System.exit(1);
            }
            uuid = m.group(1);
        }
        measure(client, "xmlrpc show channels as json", "show", "channels as json", calls, warmup);
        measure(client, "xmlrpc uuid_dump", "uuid_dump", uuid, calls, warmup);
        // OkHttp's pool threads would keep the JVM alive for a minute
        System.exit(0);
    }

    private static void measure(FreeSwitchClient client, String name, String command, String argument, int calls,
                                int warmup) {
        int bytes = 0;
        for (int i = 0; i < warmup; i++) {
            bytes = client.api(command, argument).length();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            bytes = client.api(command, argument).length();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%s\t%.3f\t%.3f\t%d\t%d%n", name, percentile(nanos, 0.50) / 1e6,
                percentile(nanos, 0.99) / 1e6, calls, bytes);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }
}

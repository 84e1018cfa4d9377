package io.ominis.testing.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP forwarder that a test can break in the ways a network breaks, while the real peer behind it keeps
 * running for everyone else. Point the code under test at {@link #host()}:{@link #port()} instead of the peer:
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(db.host(), db.port())) {
 *     DataSource ds = pool("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/app");
 *     proxy.freezeExisting();          // pooled connections go half-open
 *     assertThatThrownBy(() -> query(ds)).isInstanceOf(TimeoutLikeException.class);
 *     proxy.restore();
 * }
 * }</pre>
 *
 * <p>Faults, each undone by {@link #restore()}:
 * <ul>
 *   <li>{@link #refuse()}: new connections are refused (nothing listens); open ones keep working;</li>
 *   <li>{@link #closeAll()} / {@link #resetAll()}: open connections end with a FIN / an RST, new ones work;</li>
 *   <li>{@link #cut()}: both, an outage both ends notice at once;</li>
 *   <li>{@link #freezeExisting()}: open connections stay open but carry nothing more, with no FIN or RST (half-open:
 *       a NAT or firewall that forgot them, a peer that lost power); {@link #freezeExisting(Direction)} freezes one
 *       direction only (requests reach the peer, answers never come back);</li>
 *   <li>{@link #freezeAll()}: the same, and new connections are accepted but never answered (a frozen server, or a
 *       port that accepts TCP and is silent);</li>
 *   <li>{@link #latency(Duration)} / {@link #latency(Direction, Duration)}: every chunk is delivered that much later
 *       (latency, not a bandwidth limit: chunks in flight overlap).</li>
 * </ul>
 * {@link #restore()} closes the frozen connections, as their peers would eventually, and forwards again.
 *
 * <p>Every connection costs a few daemon threads; this is for tests, not for traffic. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

    /** Which way bytes travel through the proxy. */
    public enum Direction {
        /** From the client (the code under test) to the peer. */
        UPSTREAM,
        /** From the peer back to the client. */
        DOWNSTREAM,
        /** Both ways. */
        BOTH;

        boolean covers(Direction d) {
            return this == BOTH || this == d;
        }
    }

    private static final byte[] END = new byte[0];

    /** Longer than the upstream connect timeout, which an accept in progress may be waiting on. */
    private static final long ACCEPT_EXIT_WAIT_MILLIS = 10_000;

    /** One forwarded connection: both sockets, and per direction whether bytes are dropped. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean upFrozen;
        volatile boolean downFrozen;

        Link(Socket client, Socket upstream, boolean frozen) {
            this.client = client;
            this.upstream = upstream;
            this.upFrozen = frozen;
            this.downFrozen = frozen;
        }

        boolean frozen() {
            return upFrozen || downFrozen;
        }

        void freeze(Direction d) {
            if (d.covers(Direction.UPSTREAM)) {
                upFrozen = true;
            }
            if (d.covers(Direction.DOWNSTREAM)) {
                downFrozen = true;
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }

        void reset() {
            for (Socket s : new Socket[] {client, upstream}) {
                if (s != null) {
                    try {
                        s.setSoLinger(true, 0); // closing with linger 0 sends an RST instead of a FIN
                    } catch (SocketException ignored) {
                        // already closed
                    }
                }
            }
            close();
        }
    }

    private final String targetHost;
    private final int targetPort;
    private final InetAddress bindAddress;
    private final int port;
    private final List<Link> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile Thread acceptThread;
    private volatile boolean freezeNew;
    private volatile long upLatencyNanos;
    private volatile long downLatencyNanos;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = Objects.requireNonNull(targetHost, "null targetHost");
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be 1..65535, got " + targetPort);
        }
        this.targetPort = targetPort;
        this.bindAddress = InetAddress.getLoopbackAddress();
        try (ServerSocket probe = new ServerSocket(0, 50, bindAddress)) {
            this.port = probe.getLocalPort();
        }
        listen();
    }

    /**
     * Starts a proxy on a free loopback port that forwards every connection to {@code host:port}.
     *
     * @throws IOException when no loopback port can be bound
     */
    public static TcpProxy to(String host, int port) throws IOException {
        return new TcpProxy(host, port);
    }

    /** The address to connect to instead of the peer: the loopback address, as text. */
    public String host() {
        return bindAddress.getHostAddress();
    }

    /** The port to connect to instead of the peer's; it stays the same across {@link #refuse()} and {@link #restore()}. */
    public int port() {
        return port;
    }

    /** How many connections are open through the proxy, frozen ones included. */
    public int openConnections() {
        open.removeIf(l -> l.client.isClosed());
        return open.size();
    }

    /**
     * Undoes every fault: listens again if refusing, closes the frozen connections, removes added latency. Open
     * connections that were never frozen keep working.
     */
    public synchronized void restore() throws IOException {
        freezeNew = false;
        upLatencyNanos = 0;
        downLatencyNanos = 0;
        for (Link l : open) {
            if (l.frozen()) {
                l.close();
                open.remove(l);
            }
        }
        listen();
    }

    /**
     * Stops listening: new connections are refused as by a closed port; open connections keep working. Returns once
     * the port refuses, not merely once the close is under way.
     */
    public synchronized void refuse() {
        freezeNew = false;
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        // Closing a ServerSocket that a thread is blocked accepting on only signals that thread: the kernel socket
        // keeps listening, and completes new handshakes, until accept() returns in it. Under load that took long
        // enough for most connections made right after refuse() to succeed, so wait for the loop to end.
        Thread accept = acceptThread;
        acceptThread = null;
        if (accept != null && accept != Thread.currentThread()) {
            try {
                accept.join(ACCEPT_EXIT_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (accept.isAlive()) {
                throw new IllegalStateException(this + ": the accept loop did not stop within "
                        + ACCEPT_EXIT_WAIT_MILLIS + " ms; the port may still accept connections");
            }
        }
    }

    /** Closes every open connection in both directions with a FIN; new connections are still forwarded. */
    public synchronized void closeAll() {
        open.forEach(Link::close);
        open.clear();
    }

    /** Ends every open connection with an RST (connection reset by peer); new connections are still forwarded. */
    public synchronized void resetAll() {
        open.forEach(Link::reset);
        open.clear();
    }

    /** {@link #refuse()} and {@link #closeAll()}: the peer is gone and both ends notice. */
    public synchronized void cut() {
        refuse();
        closeAll();
    }

    /** Stops carrying bytes in both directions on every open connection, leaving it open; new ones are forwarded. */
    public synchronized void freezeExisting() {
        freezeExisting(Direction.BOTH);
    }

    /**
     * Stops carrying bytes in {@code direction} on every open connection, leaving it open. With
     * {@link Direction#DOWNSTREAM} requests still reach the peer (and take effect there) but no answer comes back.
     */
    public synchronized void freezeExisting(Direction direction) {
        Objects.requireNonNull(direction, "null direction");
        open.forEach(l -> l.freeze(direction));
    }

    /** Freezes open connections, and accepts new ones without ever answering or forwarding them. */
    public synchronized void freezeAll() {
        freezeExisting();
        freezeNew = true;
    }

    /** Delays every chunk in both directions by {@code delay}, on open and new connections alike. */
    public void latency(Duration delay) {
        latency(Direction.BOTH, delay);
    }

    /** Delays every chunk travelling in {@code direction} by {@code delay}; {@link Duration#ZERO} removes it. */
    public void latency(Direction direction, Duration delay) {
        Objects.requireNonNull(direction, "null direction");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        long nanos = delay.toNanos();
        if (direction.covers(Direction.UPSTREAM)) {
            upLatencyNanos = nanos;
        }
        if (direction.covers(Direction.DOWNSTREAM)) {
            downLatencyNanos = nanos;
        }
    }

    private void listen() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bindAddress, port), 200);
        server = s;
        Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + port);
        accept.setDaemon(true);
        acceptThread = accept;
        accept.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // refused or closed
            }
            if (freezeNew) {
                // accepted by the kernel and by us, and then silence: no upstream, nothing read
                open.add(new Link(client, null, true));
                continue;
            }
            Socket upstream;
            try {
                upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException e) {
                closeQuietly(client); // the peer refuses: so do we, by closing at once
                continue;
            }
            Link link = new Link(client, upstream, false);
            open.add(link);
            if (s.isClosed()) {
                // cut() ran while this connection was being set up: it must not outlive the cut
                open.remove(link);
                link.close();
                return;
            }
            pump(link, Direction.UPSTREAM, client, upstream);
            pump(link, Direction.DOWNSTREAM, upstream, client);
        }
    }

    /**
     * Carries one direction: a reader drops or queues each chunk with the time it is due, a writer delivers it then,
     * so that latency delays chunks without serializing their delays.
     */
    private void pump(Link link, Direction direction, Socket from, Socket to) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        String name = "tcp-proxy-" + port + "-" + direction.name().toLowerCase(java.util.Locale.ROOT);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    boolean frozen = direction == Direction.UPSTREAM ? link.upFrozen : link.downFrozen;
                    if (!frozen) {
                        long delay = direction == Direction.UPSTREAM ? upLatencyNanos : downLatencyNanos;
                        queue.add(new Object[] {System.nanoTime() + delay, java.util.Arrays.copyOf(buffer, n)});
                    }
                }
            } catch (IOException ignored) {
                // this side closed: the writer closes the other once the queue is drained
            } finally {
                queue.add(new Object[] {0L, END});
            }
        }, name + "-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = queue.take();
                    byte[] bytes = (byte[]) chunk[1];
                    if (bytes == END) {
                        break;
                    }
                    long wait = (long) chunk[0] - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    boolean frozen = direction == Direction.UPSTREAM ? link.upFrozen : link.downFrozen;
                    if (!frozen) {
                        out.write(bytes);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // the other side closed
            } finally {
                if (!link.frozen()) {
                    // pass the end on; a frozen link stays open until restore() or close() ends it
                    closeQuietly(to);
                }
            }
        }, name + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        cut();
    }

    @Override
    public String toString() {
        return "TcpProxy[" + host() + ":" + port + " -> " + targetHost + ":" + targetPort + "]";
    }
}

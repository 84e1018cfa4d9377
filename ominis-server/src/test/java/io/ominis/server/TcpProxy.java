package io.ominis.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder that a test can break in the ways a network breaks, without stopping the real server that other
 * tests use:
 * <ul>
 *   <li>{@link #cut()}: refuses new connections and closes every open one (an outage both ends notice);</li>
 *   <li>{@link #freezeExisting()}: open connections stay open but carry nothing more in either direction, with no
 *       FIN or RST (a half-open connection: a NAT or firewall that forgot it); new connections work;</li>
 *   <li>{@link #freezeAll()}: the same, and new connections are accepted but never answered (a frozen server, or a
 *       port that accepts TCP and is silent);</li>
 *   <li>{@link #restore()}: back to forwarding; frozen connections are closed, as their peer would eventually.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    /** One forwarded connection: both sockets, and whether bytes are dropped instead of passed on. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;

        Link(Socket client, Socket upstream, boolean frozen) {
            this.client = client;
            this.upstream = upstream;
            this.frozen = frozen;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Link> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean freezeNew;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        restore();
    }

    public int port() {
        return port;
    }

    /** How many connections are open through the proxy (frozen ones included). */
    public int openConnections() {
        open.removeIf(l -> l.client.isClosed());
        return open.size();
    }

    /** Starts (again) accepting and forwarding connections; closes the frozen ones. */
    public synchronized void restore() throws IOException {
        freezeNew = false;
        for (Link l : open) {
            if (l.frozen) {
                l.close();
                open.remove(l);
            }
        }
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Stops carrying bytes on every open connection, leaving it open; new connections are forwarded. */
    public synchronized void freezeExisting() {
        open.forEach(l -> l.frozen = true);
    }

    /** Freezes open connections, and accepts new ones without ever answering or forwarding them. */
    public synchronized void freezeAll() {
        freezeNew = true;
        freezeExisting();
    }

    /** Closes the listening socket and every forwarded connection. */
    public synchronized void cut() {
        freezeNew = false;
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        open.forEach(Link::close);
        open.clear();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (freezeNew) {
                    // accepted by the kernel and by us, and then silence: no upstream, nothing read
                    open.add(new Link(client, null, true));
                    continue;
                }
                Link link = new Link(client, new Socket(targetHost, targetPort), false);
                open.add(link);
                pump(link, link.client, link.upstream);
                pump(link, link.upstream, link.client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Link link, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!link.frozen) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // one side closed: close the other below
            } finally {
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
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

    @Override
    public void close() {
        cut();
    }
}

package io.ominis.testing.freeswitch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Loopback ports that are free for both TCP and UDP right now (SIP listens on both). */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct ports, each free on 127.0.0.1 for TCP and UDP at the time of the call. */
    public static int[] pick(int count) {
        Set<Integer> chosen = new HashSet<>();
        int[] ports = new int[count];
        int found = 0;
        for (int attempt = 0; found < count && attempt < 200; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        port))) {
                    if (udp.isBound() && chosen.add(port)) {
                        ports[found++] = port;
                    }
                } catch (IOException udpTaken) {
                    // taken for UDP: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (found < count) {
            throw new IllegalStateException("no free loopback ports for TCP and UDP");
        }
        return ports;
    }
}

package io.ominis.testing.sip.internal;

import io.ominis.testing.sip.SippException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.ThreadLocalRandom;

/** Free UDP ports on 127.0.0.1, found by binding them for a moment. */
public final class LoopbackPorts {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LoopbackPorts() {
    }

    /** A UDP port on 127.0.0.1 that nothing is bound to right now, chosen by the kernel. */
    public static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return socket.getLocalPort();
        } catch (SocketException e) {
            throw new SippException("cannot find a free UDP port on 127.0.0.1", e);
        }
    }

    /**
     * An even UDP port {@code p} in 20000-59998 with {@code p} and {@code p + 2} free: sipp binds both for audio and
     * video RTP, whether or not it echoes.
     */
    public static int freeMediaPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20000 + 2 * ThreadLocalRandom.current().nextInt(20000);
            if (isFree(port) && isFree(port + 1) && isFree(port + 2) && isFree(port + 3)) {
                return port;
            }
        }
        throw new SippException("cannot find free UDP ports for RTP on 127.0.0.1");
    }

    /** Whether a UDP port on 127.0.0.1 can be bound right now. */
    public static boolean isFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

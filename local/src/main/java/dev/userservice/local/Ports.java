package dev.userservice.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Picks the ports the local servers listen on: the preferred one when it is free, any free one otherwise. */
final class Ports {
    private static final int LISTENER_CHECK_MILLIS = 200;

    private Ports() {}

    static int preferred(String host, int port) {
        if (port > 0 && isFree(host, port)) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on " + host, e);
        }
    }

    /**
     * Free when nothing listens there and it can be bound as the servers bind it, with SO_REUSEADDR: the closed
     * connections of a runner that just stopped (TIME_WAIT, for a minute) then do not make the port look busy, and a
     * restarted runner keeps its port. A listener is found by connecting, since where SO_REUSEADDR lets a second
     * socket bind beside a wildcard one (macOS) binding alone would not see it.
     */
    static boolean isFree(String host, int port) {
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            return false;
        }
        try (Socket probe = new Socket()) {
            probe.connect(address, LISTENER_CHECK_MILLIS);
            return false;
        } catch (IOException nothingListens) {
            // as hoped
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

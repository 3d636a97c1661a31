package dev.userservice.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks the ports the local servers listen on: the preferred one when it is free, any free one otherwise. */
final class Ports {
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

    static boolean isFree(String host, int port) {
        // Bound without SO_REUSEADDR so that a port still held by another process counts as busy.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aPortSomethingListensOnIsBusy() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertFalse(Ports.isFree("127.0.0.1", listener.getLocalPort()));
        }
    }

    /**
     * A runner killed and started again: the connections it had served close on its side first and wait out TIME_WAIT
     * on its port for a minute, which must not send the new runner to another port.
     */
    @Test
    void aPortWithOnlyTheClosedConnectionsOfAStoppedServerIsFree() throws IOException {
        int port;
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = listener.getLocalPort();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port); Socket served = listener.accept()) {
                served.close(); // the server closes first: its side of the connection waits in TIME_WAIT
                client.getInputStream().read();
            }
        }

        assertTrue(Ports.isFree("127.0.0.1", port));
    }
}

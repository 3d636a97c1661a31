package dev.userservice.cache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * TLS to the cache (ElastiCache's in-transit encryption) through a real handshake with a server on localhost whose
 * certificate the client trusts: one issued for localhost is accepted, one issued for another name is refused,
 * though its chain is as trusted as the first.
 */
class RedisTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path keys;

    @Test
    void aCertificateForTheHostIsAccepted() throws Exception {
        KeyStore certificate = certificateFor("localhost");
        try (PongServer server = new PongServer(certificate)) {
            try (RedisConnections connections = connectionsTrusting(server, certificate)) {
                boolean answered = connections.call(connection -> connection.ping());
                assertTrue(answered, "PING over TLS");
            }
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        KeyStore certificate = certificateFor("elsewhere.example");
        try (PongServer server = new PongServer(certificate)) {
            try (RedisConnections connections = connectionsTrusting(server, certificate)) {
                JedisConnectionException refused = assertThrows(JedisConnectionException.class,
                        () -> connections.call(connection -> connection.ping()));
                assertTrue(String.valueOf(rootCause(refused).getMessage()).contains("localhost"),
                        () -> "refused for another reason than the name: " + rootCause(refused));
            }
        }
    }

    private static RedisConnections connectionsTrusting(PongServer server, KeyStore certificate) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(certificate);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new RedisConnections(URI.create("rediss://localhost:" + server.port()), Duration.ofSeconds(5),
                context.getSocketFactory());
    }

    /** A self-signed certificate naming {@code host} (its subject alternative name), made by the JDK's keytool. */
    private KeyStore certificateFor(String host) throws Exception {
        Path file = keys.resolve(host + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, () -> "keytool failed: " + output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Answers PING with PONG over TLS, one connection after another. */
    private static final class PongServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;

        PongServer(KeyStore certificate) throws Exception {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(certificate, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
            acceptor = Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket client = (SSLSocket) socket.accept()) {
                    InputStream in = client.getInputStream();
                    byte[] command = new byte[64];
                    while (in.read(command) > 0) { // one PING per read: "*1\r\n$4\r\nPING\r\n"
                        client.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                        client.getOutputStream().flush();
                    }
                } catch (IOException e) {
                    // the client refused the handshake, or left
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(Duration.ofSeconds(5));
        }
    }
}

package dev.userservice.local.cache;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.cache.RedisConnections;
import dev.userservice.local.TlsCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * TLS to the cache (ElastiCache's in-transit encryption) through a real handshake with a server on localhost, the
 * client trusting the authority of a PEM file as the functions' {@code REDIS_CA_CERT} makes it: a certificate that
 * authority issued for localhost is accepted; one it issued for another name is refused, though its chain is as
 * trusted; one from another authority is refused. The certificates are the local runner's ({@link TlsCertificates}).
 */
class RedisTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path keys;

    @Test
    void aCertificateForTheHostFromTheTrustedAuthorityIsAccepted() throws Exception {
        TlsCertificates certificates = TlsCertificates.issue(keys.resolve("localhost"), "localhost");
        try (PongServer server = new PongServer(certificates);
                RedisConnections connections = connectionsTrusting(server, certificates.authority())) {
            boolean answered = connections.call(connection -> connection.ping());
            assertTrue(answered, "PING over TLS");
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        TlsCertificates certificates = TlsCertificates.issue(keys.resolve("elsewhere"), "elsewhere.example");

        assertRefused(certificates, certificates.authority(), "localhost");
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefused() throws Exception {
        TlsCertificates server = TlsCertificates.issue(keys.resolve("server"), "localhost");
        TlsCertificates other = TlsCertificates.issue(keys.resolve("other"), "localhost");

        assertRefused(server, other.authority(), "trust anchors");
    }

    /** The handshake with a server of {@code certificates}, trusting {@code authority}, fails for {@code reason}. */
    private static void assertRefused(TlsCertificates certificates, Path authority, String reason) throws Exception {
        try (PongServer server = new PongServer(certificates);
                RedisConnections connections = connectionsTrusting(server, authority)) {
            JedisConnectionException refused = assertThrows(JedisConnectionException.class,
                    () -> connections.call(connection -> connection.ping()));
            assertTrue(String.valueOf(rootCause(refused).getMessage()).contains(reason),
                    () -> "refused for another reason than " + reason + ": " + rootCause(refused));
        }
    }

    @Test
    void anAuthorityFileThatCannotBeReadIsNamedInTheError() {
        Path missing = keys.resolve("no-such-ca.pem");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new RedisConnections(URI.create("rediss://localhost:6379"), TIMEOUT, Optional.of(missing)));
        assertTrue(refused.getMessage().startsWith("Configuration REDIS_CA_CERT") && refused.getMessage().contains(missing.toString()),
                refused::getMessage);
    }

    private static RedisConnections connectionsTrusting(PongServer server, Path authority) {
        return new RedisConnections(URI.create("rediss://localhost:" + server.port()), TIMEOUT, Optional.of(authority));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Answers PING with PONG over TLS, one connection after another, with the server certificate of the PEM files. */
    private static final class PongServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;

        PongServer(TlsCertificates certificates) throws Exception {
            SSLContext context = certificates.serverContext();
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

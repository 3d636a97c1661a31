package dev.userservice.bench;

import dev.userservice.local.TlsCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * TLS to DynamoDB and to Redis as a function meets it in AWS, for the measured JVMs. DynamoDB Local speaks plain HTTP,
 * so a TLS front on loopback forwards to it; every measured JVM, the reference's too, gets a trust store holding the
 * JDK's authorities plus the run's own (the front's and Redis's), so that the SDK and the Redis client both trust
 * through the JVM's default, as in AWS where DynamoDB's and ElastiCache's certificates chain to public authorities:
 * the default authorities are loaded as there, and no {@code REDIS_CA_CERT} is set.
 */
final class AwsTls implements AutoCloseable {
    private final SSLContext server;
    private final ServerSocket front;
    private final URI dynamoDb;
    private final URI plainDynamoDb;
    private final Path trustStore;

    private AwsTls(SSLContext server, ServerSocket front, URI plainDynamoDb, Path trustStore) {
        this.server = server;
        this.front = front;
        this.plainDynamoDb = plainDynamoDb;
        this.dynamoDb = URI.create("https://localhost:" + front.getLocalPort());
        this.trustStore = trustStore;
        Thread.ofPlatform().daemon().name("dynamodb-tls-front").start(this::accept);
    }

    /** A front for {@code plainDynamoDb}, certificates and trust store in {@code directory}; Redis's authority joins the trust. */
    static AwsTls start(URI plainDynamoDb, Path directory, Optional<Path> redisAuthority) {
        try {
            TlsCertificates certificates = TlsCertificates.issue(directory, "localhost", "127.0.0.1");
            SSLContext server = certificates.serverContext();
            ServerSocket front = server.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
            List<Path> authorities = new ArrayList<>(List.of(certificates.authority()));
            redisAuthority.ifPresent(authorities::add);
            return new AwsTls(server, front, plainDynamoDb, trustStore(directory.resolve("truststore.p12"), authorities));
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot start the TLS front for DynamoDB Local", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bench: cannot start the TLS front for DynamoDB Local: " + e.getMessage(), e);
        }
    }

    /** TLS for another of the benchmark's servers, with the certificate the measured JVMs trust. */
    SSLContext serverContext() {
        return server;
    }

    /** The measured JVMs' flags: the trust store, in place of the JDK's own. */
    List<String> jvmFlags() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore);
    }

    /** {@code environment} with its DynamoDB endpoint through the front, and Redis trusted by the JVM's default. */
    Map<String, String> environment(Map<String, String> environment) {
        Map<String, String> changed = new HashMap<>(environment);
        for (String endpoint : List.of("DYNAMODB_ENDPOINT", "AWS_ENDPOINT_URL_DYNAMODB")) {
            changed.computeIfPresent(endpoint, (name, value) -> dynamoDb.toString());
        }
        changed.remove("REDIS_CA_CERT");
        return Map.copyOf(changed);
    }

    @Override
    public void close() throws IOException {
        front.close();
    }

    private void accept() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException e) {
                if (!front.isClosed()) {
                    System.out.println("bench: DynamoDB TLS front: " + e.getMessage());
                }
            }
        }
    }

    /** One connection: bytes both ways until either side closes; the TLS handshake happens at the first read. */
    private void relay(Socket client) {
        try (client; Socket upstream = new Socket(plainDynamoDb.getHost(), plainDynamoDb.getPort())) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread requests = Thread.ofVirtual().start(() -> copy(client, upstream));
            copy(upstream, client);
            requests.join();
        } catch (IOException e) {
            // A client that went away mid-request: its own side reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16_384];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The other direction closed the sockets: the exchange is over.
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // Already closed: nothing more to tell it.
            }
        }
    }

    private static Path trustStore(Path file, List<Path> authorities) throws IOException, GeneralSecurityException {
        // The copy has the JDK's own format (JKS or PKCS12), so that loading it costs what loading that does; a JVM
        // loads its trust store without a password, as it does the JDK's, so the well-known one only seals the file.
        KeyStore store = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(),
                (char[]) null);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        int n = 0;
        for (Path authority : authorities) {
            try (InputStream pem = Files.newInputStream(authority)) {
                for (Certificate certificate : x509.generateCertificates(pem)) {
                    store.setCertificateEntry("user-service-bench-" + n++, certificate);
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }
}

package dev.userservice.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Connections to one Redis-protocol server, each lent to one caller at a time. Lambda runs one request at a time per
 * instance, so there is mostly one connection; the local runner calls a handler from several threads, so any number
 * can be lent at once and up to {@link #MAX_IDLE} are kept for the next calls. This is Jedis's own {@link Connection}
 * without its pooled client, whose command interfaces and reply builders cost a cold start hundreds of classes.
 */
public final class RedisConnections implements AutoCloseable {
    private static final int DEFAULT_PORT = 6379;
    /** As many as the local runner's concurrent requests to one function; more are closed after use. */
    public static final int MAX_IDLE = 8;

    private final HostAndPort server;
    private final JedisClientConfig client;
    /** Most recently returned first: the warmest connection is lent again. */
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    /**
     * The server at {@code url}: {@code redis://} or, for TLS (ElastiCache in transit encryption),
     * {@code rediss://}, with an optional {@code user:password@} or {@code password@}. {@code timeout} bounds
     * connecting and each reply. Over TLS the server's certificate must chain to a trusted authority and name the
     * URL's host.
     */
    public RedisConnections(URI url, Duration timeout) {
        this(url, timeout, Optional.empty());
    }

    /**
     * As above; over TLS the certificate must chain to {@code authority} (a PEM file of one or more CA certificates)
     * when it is given, instead of to the JVM's trusted authorities. For a server whose CA is private, as the local
     * runner's is; ElastiCache's certificates chain to a public authority and need none. Read here, once.
     *
     * @throws IllegalStateException when {@code authority} cannot be read or holds no certificate
     */
    public RedisConnections(URI url, Duration timeout, Optional<Path> authority) {
        boolean tls = "rediss".equalsIgnoreCase(url.getScheme());
        SSLSocketFactory sockets = tls ? authority.map(RedisConnections::trusting).orElse(null) : null;
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                // No CLIENT SETINFO on each new connection: two round trips a cold start or a reconnect can spare.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .ssl(tls)
                // null: the JVM's default, which trusts the usual authorities
                .sslSocketFactory(sockets)
                .sslParameters(verifyingTheHostName());
        if (url.getRawUserInfo() != null) {
            // Split before decoding: a percent-encoded ':' (an AUTH token may hold one) belongs to the password.
            String[] credentials = url.getRawUserInfo().split(":", 2);
            if (credentials.length == 2) {
                client.user(credentials[0].isEmpty() ? null : decoded(credentials[0])).password(decoded(credentials[1]));
            } else {
                client.password(decoded(credentials[0]));
            }
        }
        this.server = new HostAndPort(url.getHost(), url.getPort() > 0 ? url.getPort() : DEFAULT_PORT);
        this.client = client.build();
    }

    private static String decoded(String percentEncoded) {
        return URLDecoder.decode(percentEncoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** TLS sockets that trust only the CA certificates of this PEM file; the name is still checked (below). */
    private static SSLSocketFactory trusting(Path authority) {
        try (InputStream pem = Files.newInputStream(authority)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(pem);
            if (certificates.isEmpty()) {
                throw new IllegalStateException("Configuration REDIS_CA_CERT: no certificate in " + authority);
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("authority-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Configuration REDIS_CA_CERT: cannot read the CA certificates of " + authority
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * TLS that checks the certificate names the host connected to, as HTTPS does. Jedis's default checks only the
     * chain: any certificate a public authority issued, for any name, would pass. Everything else stays the
     * JVM's default (a null protocol or cipher list changes nothing).
     */
    private static SSLParameters verifyingTheHostName() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /**
     * Runs {@code commands} on a connection of its own: an idle one, or a new one. The connection is kept for the next
     * call only when the commands completed and it is not broken; after any failure it may still owe replies or hold
     * half a command, so it is closed, never lent again.
     *
     * <p>When the connection had been idle and the commands fail on its socket, they run once more on a new connection.
     * An idle connection can die unnoticed: the server closes it after its idle timeout or when its keepalive probes
     * went unanswered while Lambda froze the function, or something on the path forgets the flow. Its first use then
     * fails, and that says nothing about the server; without a second try, every function instance that sat idle would
     * open its circuit breaker and leave the cache for a while. The commands must be safe to
     * run twice (a read, a SET, a DEL, the cache's scripts); a counter may count once more if the server did run it
     * and only its reply was lost.
     *
     * @throws JedisException when the server cannot be reached, answers too late, or replies with an error
     */
    public <T> T call(Function<Connection, T> commands) {
        Optional<Connection> idleOne = takeIdle();
        if (idleOne.isPresent()) {
            try {
                return run(idleOne.get(), commands);
            } catch (JedisConnectionException diedWhileIdle) {
                // tried again below, on a new connection
            }
        }
        // Connects (and authenticates) outside the lock: other callers need not wait for this one's handshake.
        return run(new Connection(server, client), commands);
    }

    private <T> T run(Connection connection, Function<Connection, T> commands) {
        boolean completed = false;
        try {
            T result = commands.apply(connection);
            completed = true;
            return result;
        } finally {
            if (completed && !connection.isBroken()) {
                giveBack(connection);
            } else {
                discard(connection);
            }
        }
    }

    /** The most recently returned idle connection, if there is one. */
    private Optional<Connection> takeIdle() {
        synchronized (idle) {
            if (closed) {
                throw new JedisException("the cache's connections are closed");
            }
            return Optional.ofNullable(idle.pollFirst());
        }
    }

    private void giveBack(Connection connection) {
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.offerFirst(connection);
                return;
            }
        }
        discard(connection);
    }

    private static void discard(Connection connection) {
        try {
            connection.close();
        } catch (JedisException e) {
            // Closing flushes what is left for the socket; a dead server refusing it changes nothing.
        }
    }

    /** Closes the idle connections and lends new ones from then on. */
    public void dropIdle() {
        synchronized (idle) {
            idle.forEach(RedisConnections::discard);
            idle.clear();
        }
    }

    /** Closes the idle connections; those lent out are closed when they come back. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
        }
        dropIdle();
    }
}

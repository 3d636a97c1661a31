package dev.userservice.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.core.RedisServerBuilder;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;

/**
 * The three servers the functions use, in this process or as its child: Amazon's DynamoDB Local, ElasticMQ for
 * SQS and a real Redis server. Each listens on a real port, so any AWS SDK, the AWS CLI or redis-cli can use it.
 * Redis is the embedded server without TLS, or with {@link LocalOptions#withRedisTls} a TLS-capable redis-server
 * that speaks TLS only, with a certificate from an authority made at start.
 */
final class LocalServers implements AutoCloseable {
    static final String ACCOUNT_ID = "000000000000";
    static final String REGION = "us-east-1";

    private static final FiniteDuration SQS_STOP_GRACE = FiniteDuration.apply(2, TimeUnit.SECONDS);
    /**
     * DynamoDB Local's AWS SDK (version 1) warns at every start that JAXB is missing and that it uses its own Base64
     * instead, which is all it needs. Held here: the logging framework keeps loggers only weakly.
     */
    private static final java.util.logging.Logger SDK_BASE64 = quieted("com.amazonaws.util.Base64");

    private static java.util.logging.Logger quieted(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private final DynamoDBProxyServer dynamoDb;
    private final SQSRestServer sqs;
    private final RedisServer redis;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI redisUrl;
    private final Optional<TlsCertificates> redisTls;
    private final String redisDescription;

    private LocalServers(DynamoDBProxyServer dynamoDb, URI dynamoDbEndpoint, SQSRestServer sqs, URI sqsEndpoint,
                         RedisServer redis, URI redisUrl, Optional<TlsCertificates> redisTls, String redisDescription) {
        this.dynamoDb = dynamoDb;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqs = sqs;
        this.sqsEndpoint = sqsEndpoint;
        this.redis = redis;
        this.redisUrl = redisUrl;
        this.redisTls = redisTls;
        this.redisDescription = redisDescription;
    }

    /** {@code runtimeDir}: where Redis's TLS certificates go when it has TLS (in {@code redis-tls/}). */
    static LocalServers start(LocalOptions options, Path runtimeDir) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int dynamoDbPort = Ports.preferred(options.host(), options.dynamoDbPort());
            DynamoDBProxyServer dynamoDb = startDynamoDb(options.host(), dynamoDbPort, options.dataDirectory().map(dir -> dir.resolve("dynamodb")));
            started.add(dynamoDb::stop);

            int sqsPort = Ports.preferred(options.host(), options.sqsPort());
            SQSRestServer sqs = SQSRestServerBuilder
                    .withInterface(options.host())
                    .withPort(sqsPort)
                    .withServerAddress(new NodeAddress("http", "localhost", sqsPort, ""))
                    .withAWSAccountId(ACCOUNT_ID)
                    .withAWSRegion(REGION)
                    .start();
            sqs.waitUntilStarted();
            started.add(() -> stopSqs(sqs));

            int redisPort = Ports.preferred(options.host(), options.redisPort());
            Optional<TlsCertificates> tls = Optional.empty();
            String description;
            RedisServer redis;
            if (options.redisTls()) {
                Path executable = tlsRedisExecutable(options.redisServer());
                tls = Optional.of(TlsCertificates.issue(runtimeDir.resolve("redis-tls"), "localhost", "127.0.0.1"));
                redis = tlsRedisServer(options, redisPort, executable, tls.get());
                startTlsRedis(redis, executable);
                description = version(executable) + " (" + executable + "), TLS only";
            } else {
                PlainRedis plain = startPlainRedis(options, redisPort, ExecutableProvider.newJarResourceProvider());
                redis = plain.server();
                description = plain.description();
            }
            started.add(redis::stop);

            return new LocalServers(dynamoDb, URI.create("http://localhost:" + dynamoDbPort), sqs,
                    URI.create("http://localhost:" + sqsPort), redis,
                    URI.create((tls.isPresent() ? "rediss" : "redis") + "://localhost:" + redisPort), tls, description);
        } catch (Exception e) {
            for (AutoCloseable server : started.reversed()) {
                try {
                    server.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("The local servers did not start: " + e.getMessage(), e);
        }
    }

    /**
     * DynamoDB Local on {@code host} only. It has no option for an address and listens on every interface, where
     * anyone on the network could read the table (password hashes, outbox items with reset tokens) and write it; its
     * Jetty connector is bound to {@code host} before it starts (LocalRunnerTest checks that it holds).
     */
    static DynamoDBProxyServer startDynamoDb(String host, int port, Optional<Path> dataDir) throws Exception {
        System.setProperty("sqlite4java.library.path", NativeLibraries.directory().toString());
        // DynamoDB Local logs through Log4j; the runner's own hook stops it, so Log4j needs none (and warns without this).
        System.setProperty("log4j.shutdownHookEnabled", "false");
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir.isPresent()) {
            Files.createDirectories(dataDir.get());
            args.addAll(List.of("-dbPath", dataDir.get().toString()));
        } else {
            args.add("-inMemory");
        }
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        Field jetty = DynamoDBProxyServer.class.getDeclaredField("server");
        jetty.setAccessible(true);
        for (Connector connector : ((Server) jetty.get(server)).getConnectors()) {
            ((ServerConnector) connector).setHost(host);
        }
        server.start();
        return server;
    }

    record PlainRedis(RedisServer server, String description) {
    }

    /**
     * Redis without TLS, bound to this machine only; with a data directory it keeps an append-only file there across
     * restarts. The embedded redis-server first, else the one on the PATH: the embedded binaries link OpenSSL 3, which
     * older systems (Debian 11, Ubuntu 20.04, a Mac without Homebrew's openssl@3) lack.
     */
    static PlainRedis startPlainRedis(LocalOptions options, int port, ExecutableProvider embedded) throws IOException {
        try {
            RedisServer server = plainRedisServer(options, port, embedded);
            server.start();
            return new PlainRedis(server, "embedded redis-server, no TLS");
        } catch (IOException | RuntimeException embeddedFailure) {
            Path installed = redisServerOnPath().orElseThrow(() -> new IllegalStateException(
                    "the embedded redis-server did not start (it links OpenSSL 3: apt-get install libssl3, or brew "
                            + "install openssl@3), and there is no redis-server on the PATH to run instead (apt-get install "
                            + "redis-server, or brew install redis)", embeddedFailure));
            RedisServer server = plainRedisServer(options, port, installed::toFile);
            server.start();
            return new PlainRedis(server, version(installed) + " (" + installed + "; the embedded one did not start), no TLS");
        }
    }

    private static RedisServer plainRedisServer(LocalOptions options, int port, ExecutableProvider executable) throws IOException {
        return redisSettings(options, RedisServer.newRedisServer().executableProvider(executable).port(port)).build();
    }

    /**
     * As {@link #redisServer}, from {@code executable}, with TLS on {@code port} and no plain-text port at all (the
     * command line's {@code --port 0}), as ElastiCache Serverless; clients need no certificate of their own.
     */
    private static RedisServer tlsRedisServer(LocalOptions options, int port, Path executable, TlsCertificates certificates)
            throws IOException {
        var builder = RedisServer.newRedisServer().executableProvider(executable::toFile).port(0)
                .setting("tls-port " + port)
                .setting("tls-cert-file " + quoted(certificates.certificate()))
                .setting("tls-key-file " + quoted(certificates.privateKey()))
                .setting("tls-ca-cert-file " + quoted(certificates.authority()))
                .setting("tls-auth-clients no");
        return redisSettings(options, builder).build();
    }

    private static RedisServerBuilder redisSettings(LocalOptions options, RedisServerBuilder builder) throws IOException {
        builder.bind(options.host())
                .setting("protected-mode no")
                .onShutdownForceStop(true);
        if (options.dataDirectory().isPresent()) {
            Path dir = Files.createDirectories(options.dataDirectory().get().resolve("redis"));
            builder.setting("dir " + quoted(dir)).setting("appendonly yes").setting("save \"\"");
        } else {
            builder.setting("save \"\"").setting("appendonly no");
        }
        return builder;
    }

    /** A path in redis.conf, where an unquoted space would end the value. */
    private static String quoted(Path path) {
        return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The redis-server to run with TLS: the one named, else {@code redis-server} on the PATH (Debian's and
     * Ubuntu's are built with TLS), else the embedded one, built with TLS against the machine's OpenSSL 3.
     */
    static Path tlsRedisExecutable(Path named) {
        if (named != null) {
            if (!Files.isRegularFile(named) || !Files.isExecutable(named)) {
                throw new RedisTlsUnavailable("no redis-server at " + named + " (not an executable file)");
            }
            return named;
        }
        Optional<Path> onPath = redisServerOnPath();
        if (onPath.isPresent()) {
            return onPath.get();
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException | RuntimeException e) {
            throw new RedisTlsUnavailable("no redis-server on the PATH, and the embedded one is not there for this system ("
                    + e.getMessage() + ")");
        }
    }

    private static Optional<Path> redisServerOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void startTlsRedis(RedisServer redis, Path executable) {
        try {
            redis.start();
        } catch (IOException | RuntimeException e) {
            StringBuilder words = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                words.append(' ').append(cause.getMessage());
            }
            throw new RedisTlsUnavailable(executable + " did not start with TLS; it may be built without TLS, or find no "
                    + "OpenSSL 3 on this machine. Its words:" + words.toString().replaceAll("\\s+", " ").stripTrailing());
        }
    }

    /** {@code Redis server v=7.0.15 sha=...}: "redis-server 7.0.15". */
    private static String version(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            Matcher version = Pattern.compile("v=(\\S+)").matcher(output);
            return "redis-server " + (version.find() ? version.group(1) : "(version unknown)");
        } catch (IOException e) {
            return "redis-server (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "redis-server (version unknown)";
        }
    }

    URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    URI sqsEndpoint() {
        return sqsEndpoint;
    }

    URI redisUrl() {
        return redisUrl;
    }

    /** The CA that Redis's certificate chains to, when Redis has TLS. */
    Optional<Path> redisAuthority() {
        return redisTls.map(TlsCertificates::authority);
    }

    /** Which redis-server runs and whether with TLS, for the start-up banner and the benchmark's report. */
    String redisDescription() {
        return redisDescription;
    }

    /** Stops Redis only, as a dead cache would be; the functions must keep answering. */
    void stopRedis() {
        try {
            redis.stop();
        } catch (IOException e) {
            throw new IllegalStateException("Redis did not stop", e);
        }
    }

    void startRedis() {
        try {
            redis.start();
        } catch (IOException e) {
            throw new IllegalStateException("Redis did not start", e);
        }
    }

    @Override
    public void close() {
        stopQuietly(redis::stop);
        stopQuietly(() -> stopSqs(sqs));
        stopQuietly(dynamoDb::stop);
    }

    /**
     * ElasticMQ's own stop gives open requests a minute to finish. A service stopped within a second or two of its
     * start (while its event sources' first requests are still being sent) left one open request that never
     * finished, so every such stop took that whole minute: the requests get {@link #SQS_STOP_GRACE} instead, then
     * ElasticMQ stops as usual.
     */
    private static void stopSqs(SQSRestServer sqs) throws Exception {
        Await.result(sqs.waitUntilStarted().terminate(SQS_STOP_GRACE), scala.concurrent.duration.Duration.Inf());
        sqs.stopAndWait();
    }

    private static void stopQuietly(AutoCloseable stop) {
        try {
            stop.close();
        } catch (Exception e) {
            System.err.println("local: a server did not stop cleanly: " + e.getMessage());
        }
    }
}

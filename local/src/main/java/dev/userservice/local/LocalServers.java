package dev.userservice.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import redis.embedded.RedisServer;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;

/**
 * The three servers the functions use, in this process or as its child: Amazon's DynamoDB Local, ElasticMQ for
 * SQS and a real Redis server. Each listens on a real port, so any AWS SDK, the AWS CLI or redis-cli can use it.
 */
final class LocalServers implements AutoCloseable {
    static final String ACCOUNT_ID = "000000000000";
    static final String REGION = "us-east-1";

    private static final FiniteDuration SQS_STOP_GRACE = FiniteDuration.apply(2, TimeUnit.SECONDS);

    private final DynamoDBProxyServer dynamoDb;
    private final SQSRestServer sqs;
    private final RedisServer redis;
    private final URI dynamoDbEndpoint;
    private final URI sqsEndpoint;
    private final URI redisUrl;

    private LocalServers(DynamoDBProxyServer dynamoDb, URI dynamoDbEndpoint, SQSRestServer sqs, URI sqsEndpoint,
                         RedisServer redis, URI redisUrl) {
        this.dynamoDb = dynamoDb;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.sqs = sqs;
        this.sqsEndpoint = sqsEndpoint;
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    static LocalServers start(LocalOptions options) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int dynamoDbPort = Ports.preferred("0.0.0.0", options.dynamoDbPort());
            DynamoDBProxyServer dynamoDb = startDynamoDb(dynamoDbPort, options.dataDirectory().map(dir -> dir.resolve("dynamodb")));
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
            RedisServer redis = redisServer(options, redisPort);
            redis.start();
            started.add(redis::stop);

            return new LocalServers(dynamoDb, URI.create("http://localhost:" + dynamoDbPort), sqs,
                    URI.create("http://localhost:" + sqsPort), redis, URI.create("redis://localhost:" + redisPort));
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

    static DynamoDBProxyServer startDynamoDb(int port, java.util.Optional<Path> dataDir) throws Exception {
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
        server.start();
        return server;
    }

    /** Redis bound to this machine only; with a data directory it keeps an append-only file there across restarts. */
    private static RedisServer redisServer(LocalOptions options, int port) throws IOException {
        var builder = RedisServer.newRedisServer()
                .port(port)
                .bind(options.host())
                .setting("protected-mode no")
                .onShutdownForceStop(true);
        if (options.dataDirectory().isPresent()) {
            Path dir = Files.createDirectories(options.dataDirectory().get().resolve("redis"));
            builder.setting("dir " + dir.toAbsolutePath()).setting("appendonly yes").setting("save \"\"");
        } else {
            builder.setting("save \"\"").setting("appendonly no");
        }
        return builder.build();
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

package dev.userservice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the local service runs: which template, where data lives ({@code null} for a throwaway in-memory run), the
 * address it listens on, its preferred ports (0 for any free port), environment overrides applied to every
 * function after the template's own, and whether Redis runs with TLS ({@code redisServer}: the TLS-capable
 * {@code redis-server} to run, or null to look for one; see {@link #withRedisTls}).
 */
public record LocalOptions(
        Path template,
        Path dataDir,
        String host,
        int apiPort,
        int dynamoDbPort,
        int sqsPort,
        int redisPort,
        Map<String, String> environment,
        Duration queueRetryDelay,
        boolean runSchedules,
        boolean redisTls,
        Path redisServer) {

    public static final int DEFAULT_API_PORT = 3000;

    public LocalOptions {
        environment = Map.copyOf(environment);
    }

    /** The defaults: the template.yaml of this checkout, data kept under .local beside it, the usual ports. */
    public static LocalOptions defaults() {
        Path template = findTemplate();
        return new LocalOptions(template, template.toAbsolutePath().getParent().resolve(".local"), "127.0.0.1",
                DEFAULT_API_PORT, 8000, 9324, 6379, Map.of(), null, false, false, null);
    }

    /** A throwaway run on any free ports, as tests use: nothing is written beside the checkout. */
    public static LocalOptions inMemory() {
        return defaults().withDataDir(null).withPort(0).withServicePorts(0, 0, 0);
    }

    public boolean inMemoryData() {
        return dataDir == null;
    }

    public LocalOptions withDataDir(Path dir) {
        return new LocalOptions(template, dir, host, apiPort, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    public LocalOptions withPort(int port) {
        return new LocalOptions(template, dataDir, host, port, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    public LocalOptions withHost(String address) {
        return new LocalOptions(template, dataDir, address, apiPort, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    public LocalOptions withServicePorts(int dynamoDb, int sqs, int redis) {
        return new LocalOptions(template, dataDir, host, apiPort, dynamoDb, sqs, redis, environment, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    public LocalOptions withTemplate(Path path) {
        return new LocalOptions(path, dataDir, host, apiPort, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    /** Adds environment overrides for every function (later values win). */
    public LocalOptions withEnvironment(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(overrides);
        return new LocalOptions(template, dataDir, host, apiPort, dynamoDbPort, sqsPort, redisPort, merged, queueRetryDelay, runSchedules, redisTls, redisServer);
    }

    /**
     * How soon a queue message a function failed on is delivered again; {@code null} keeps the queue's own
     * visibility timeout, as in AWS. Tests shorten it to watch five receives end in the dead-letter queue.
     */
    public LocalOptions withQueueRetryDelay(Duration delay) {
        return new LocalOptions(template, dataDir, host, apiPort, dynamoDbPort, sqsPort, redisPort, environment, delay, runSchedules, redisTls, redisServer);
    }

    /** Runs the template's {@code Schedule} events on their rates, starting with one run of each at start. */
    public LocalOptions withSchedules(boolean run) {
        return new LocalOptions(template, dataDir, host, apiPort, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay, run, redisTls, redisServer);
    }

    /**
     * Redis with TLS only, as ElastiCache Serverless always is: the functions get a {@code rediss://} URL and a CA
     * generated at start ({@code REDIS_CA_CERT}). {@code executable} is the {@code redis-server} to run, built with
     * TLS; null looks for {@code redis-server} on the PATH, then tries the embedded one (which has TLS where it
     * finds OpenSSL 3 on the machine). Without this, Redis is the embedded server without TLS.
     */
    public LocalOptions withRedisTls(Path executable) {
        return new LocalOptions(template, dataDir, host, apiPort, dynamoDbPort, sqsPort, redisPort, environment, queueRetryDelay,
                runSchedules, true, executable);
    }

    /** template.yaml in the working directory or the nearest folder above it (tests run in the module folder). */
    static Path findTemplate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Path.of("template.yaml").toAbsolutePath();
    }

    Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDir);
    }
}

package dev.userservice.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.cache.CacheKeys;
import dev.userservice.cache.RedisConnections;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol.Command;

/**
 * One function's warm path, in the JVM JMH forks for it: the real handler class built once from the function's
 * environment, as Lambda builds it, then invoked with API Gateway event bytes; DynamoDB Local and Redis (over TLS by
 * default) answer over the network from the benchmark's own JVM and redis-server. {@link WarmPath} writes the plan
 * (handler, environment, event, users) to a file named by {@value #PLAN_PROPERTY}.
 *
 * <p>What changes between invocations is done before each, outside the timing: the user a request names is drawn
 * at random when the event says {@value #ANY_USER}, a write's new value is made where it says {@value #UNIQUE}, and
 * the user's cached views are evicted when the plan says so, so a miss is a miss whatever the table's size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarmPathBenchmark {
    static final String PLAN_PROPERTY = "bench.warm.plan";
    /** Stands for the user an event names; drawn from the plan's users before each invocation. */
    static final String ANY_USER = "<ANY_USER>";
    /** Stands for a value no request had before; a new one before each invocation. */
    static final String UNIQUE = "<UNIQUE>";

    private RequestStreamHandler handler;
    private RedisConnections redis;
    private String event;
    private List<String> users;
    private boolean evictViews;
    private final Random random = new Random(17);
    private byte[] nextEvent;
    private byte[] answer;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void buildHandler() throws IOException, ReflectiveOperationException {
        // Every request's log line is still built and written, to nowhere, as KernelBenchmark does.
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Map<String, Object> plan = Json.parseObject(Files.readString(Path.of(System.getProperty(PLAN_PROPERTY))));
        Map<String, String> environment = (Map<String, String>) (Map<?, ?>) plan.get("environment");
        handler = (RequestStreamHandler) Class.forName((String) plan.get("handler")).getConstructor(Map.class)
                .newInstance(environment);
        event = (String) plan.get("event");
        users = (List<String>) (List<?>) plan.get("users");
        evictViews = Boolean.TRUE.equals(plan.get("evict_views"));
        redis = new RedisConnections(URI.create(environment.get("REDIS_URL")), Duration.ofSeconds(5),
                Optional.ofNullable(environment.get("REDIS_CA_CERT")).map(Path::of));
    }

    @Setup(Level.Invocation)
    public void nextRequest() {
        String user = users.get(random.nextInt(users.size()));
        nextEvent = event.replace(ANY_USER, user).replace(UNIQUE, UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8);
        if (evictViews) {
            redis.call(connection -> connection.executeCommand(new CommandArguments(Command.DEL).keys((Object[]) CacheKeys.ofUser(user))));
        }
    }

    /** One invocation as Lambda's runtime makes it: event bytes in, the answer's bytes out. */
    @Benchmark
    public byte[] invoke() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream(2048);
        handler.handleRequest(new ByteArrayInputStream(nextEvent), output, null);
        answer = output.toByteArray();
        return answer;
    }

    /** A figure of failed requests would be no figure: any answer but a 2xx stops the run. */
    @TearDown(Level.Invocation)
    public void checkAnswer() {
        String text = new String(answer, StandardCharsets.UTF_8);
        if (!text.contains("\"statusCode\":2")) {
            throw new IllegalStateException("the benchmarked request failed: " + text);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        redis.close();
    }
}

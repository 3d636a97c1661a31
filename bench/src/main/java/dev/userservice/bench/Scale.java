package dev.userservice.bench;

import dev.userservice.cache.RedisConnections;
import dev.userservice.store.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol.Command;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Latency against table size: the shared user's own items (profile, preferences, devices, push targets: everything
 * under its partition but its sessions and their live markers) are cloned with new ids and emails by BatchWriteItem until the table holds
 * the wanted number of users, then the measured routes are called over the local runner's HTTP API. A cloned user is
 * never signed in (a request that names one carries a service token), and without sessions a million users fit
 * DynamoDB Local's in-memory table on a 24 GiB machine.
 */
final class Scale implements AutoCloseable {
    record Row(String route, int users, Stats latenciesMs, int errors) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final String partitionKey;
    private final URI api;
    private final RedisConnections redis;
    private final String templateUserId;
    private final String templateEmail;
    private final List<Map<String, AttributeValue>> templateItems;
    private final List<String> userIds = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(42);
    private static final int BATCH_SIZE = 25;
    private static final int SEED_THREADS = 4;
    private static final int IN_FLIGHT_BATCHES = SEED_THREADS * 4;
    /** A seed of a million users takes many minutes: a line now and then shows it moving. */
    private static final int PROGRESS_EVERY = 100_000;

    /** {@code redisAuthority}: the CA of Redis's certificate when it has TLS. */
    Scale(Map<String, String> environment, URI api, URI redis, Optional<Path> redisAuthority, String userId, String email) {
        this.dynamo = Fixtures.dynamoDb(environment);
        this.table = environment.get("TABLE_NAME");
        this.partitionKey = dynamo.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .filter(key -> key.keyType() == KeyType.HASH).map(KeySchemaElement::attributeName).findFirst().orElseThrow();
        this.api = api;
        this.redis = new RedisConnections(redis, Duration.ofSeconds(5), redisAuthority);
        this.templateUserId = userId;
        this.templateEmail = email;
        this.templateItems = dynamo.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", partitionKey))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("USER#" + userId))).build()).items()
                .stream().filter(item -> !isSession(item)).toList();
        if (templateItems.isEmpty()) {
            throw new IllegalStateException("bench: no items under USER#" + userId + " to clone");
        }
        userIds.add(userId);
    }

    /** A session, or the marker a live one keeps beside it. */
    private static boolean isSession(Map<String, AttributeValue> item) {
        return item.values().stream().anyMatch(value -> value.s() != null
                && (value.s().startsWith(Keys.SESSION_PREFIX) || value.s().startsWith(Keys.LIVE_SESSION_PREFIX)));
    }

    int userCount() {
        return userIds.size();
    }

    int itemsPerUser() {
        return templateItems.size();
    }

    /**
     * Adds cloned users until there are {@code total}; returns the seconds it took. Batches of 25 writes are built
     * as they are sent, at most {@link #IN_FLIGHT_BATCHES} at a time: a million users' requests held at once would
     * take gigabytes of the benchmark's heap before the first one is written.
     */
    double seedUpTo(int total) throws InterruptedException {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(IN_FLIGHT_BATCHES);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(SEED_THREADS)) {
            List<WriteRequest> batch = new ArrayList<>(BATCH_SIZE);
            for (int i = userIds.size(); i < total && failure.get() == null; i++) {
                String id = UUID.randomUUID().toString();
                String email = "scale-" + id + "@example.com";
                for (Map<String, AttributeValue> item : templateItems) {
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(cloneItem(item, id, email)).build()).build());
                    if (batch.size() == BATCH_SIZE) {
                        send(pool, inFlight, failure, batch);
                        batch = new ArrayList<>(BATCH_SIZE);
                    }
                }
                userIds.add(id);
                if (userIds.size() % PROGRESS_EVERY == 0) {
                    System.out.printf(Locale.ROOT, "bench:   %,d users after %.0f s%n", userIds.size(), (System.nanoTime() - started) / 1e9);
                }
            }
            if (!batch.isEmpty()) {
                send(pool, inFlight, failure, batch);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private void send(ExecutorService pool, Semaphore inFlight, AtomicReference<RuntimeException> failure,
                      List<WriteRequest> batch) throws InterruptedException {
        inFlight.acquire();
        pool.execute(() -> {
            try {
                write(batch);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    /** Up to {@code count} of the users, drawn at random (all of them when there are fewer). */
    List<String> sampleOfUsers(int count) {
        List<String> sample = new ArrayList<>(userIds);
        java.util.Collections.shuffle(sample, random);
        return List.copyOf(sample.subList(0, Math.min(count, sample.size())));
    }

    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
        for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
            Map<String, List<WriteRequest>> request = Map.copyOf(pending);
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
            if (attempt > 20) {
                throw new IllegalStateException("bench: DynamoDB Local keeps refusing a batch");
            }
            pending = response.unprocessedItems();
        }
    }

    private Map<String, AttributeValue> cloneItem(Map<String, AttributeValue> item, String id, String email) {
        Map<String, AttributeValue> copy = new HashMap<>();
        item.forEach((name, value) -> copy.put(name, cloneValue(value, id, email)));
        return copy;
    }

    private AttributeValue cloneValue(AttributeValue value, String id, String email) {
        if (value.s() != null) {
            return AttributeValue.fromS(value.s().replace(templateUserId, id).replace(templateEmail, email));
        }
        if (value.hasM()) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            value.m().forEach((k, v) -> map.put(k, cloneValue(v, id, email)));
            return AttributeValue.fromM(map);
        }
        if (value.hasL()) {
            return AttributeValue.fromL(value.l().stream().map(v -> cloneValue(v, id, email)).toList());
        }
        if (value.hasSs()) {
            return AttributeValue.fromSs(value.ss().stream().map(s -> s.replace(templateUserId, id).replace(templateEmail, email)).toList());
        }
        return value;
    }

    /** The measured routes at the current table size. */
    List<Row> measure(int requests, String userToken, String serviceToken) throws Exception {
        int users = userIds.size();
        List<Row> rows = new ArrayList<>();
        get("/api/v1/users/me", userToken);
        rows.add(timed("GET /api/v1/users/me (cache hit)", users, requests, NOTHING, () -> get("/api/v1/users/me", userToken)));
        rows.add(timed("GET /api/v1/users/me (cache miss: Redis flushed before each)", users, requests, this::flushRedis,
                () -> get("/api/v1/users/me", userToken)));
        rows.add(timed("GET notification-profile (random user, mostly misses)", users, requests, NOTHING, () ->
                get("/api/v1/internal/users/" + randomUser() + "/notification-profile?category=marketing", serviceToken)));
        String fixed = "/api/v1/internal/users/" + userIds.get(0) + "/notification-profile?category=marketing";
        get(fixed, serviceToken);
        rows.add(timed("GET notification-profile (same user, cached)", users, requests, NOTHING, () -> get(fixed, serviceToken)));
        // Flushed before each, as a random 100 of 1,000 users would otherwise be mostly cached and of 100,000 not.
        rows.add(timed("POST notification-profiles/batch (100 random users, Redis flushed before each)", users,
                Math.max(1, requests / 4), this::flushRedis, () -> {
            StringBuilder body = new StringBuilder("{\"user_ids\":[");
            java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
            while (distinct.size() < Math.min(100, userIds.size())) {
                distinct.add(randomUser());
            }
            String separator = "";
            for (String id : distinct) {
                body.append(separator).append('"').append(id).append('"');
                separator = ",";
            }
            body.append("],\"category\":\"marketing\"}");
            return post("/api/v1/internal/notification-profiles/batch", serviceToken, body.toString());
        }));
        return rows;
    }

    private String randomUser() {
        return userIds.get(random.nextInt(userIds.size()));
    }

    private void flushRedis() {
        redis.call(connection -> connection.executeCommand(new CommandArguments(Command.FLUSHALL)));
    }

    private static final Runnable NOTHING = () -> {};

    interface Call {
        int status() throws Exception;
    }

    /** {@code untimed}: what each request needs done first, outside its latency (a flush of the cache). */
    private Row timed(String route, int users, int requests, Runnable untimed, Call call) throws Exception {
        List<Double> latencies = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < requests; i++) {
            untimed.run();
            long started = System.nanoTime();
            int status = call.status();
            latencies.add((System.nanoTime() - started) / 1e6);
            if (status != 200) {
                errors++;
            }
        }
        return new Row(route, users, Stats.of(latencies), errors);
    }

    private int get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        dynamo.close();
        redis.close();
    }
}

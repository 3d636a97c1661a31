package dev.userservice.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.local.e2e.TestEnvironment;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SnapStart's hooks on every function of the template, as Lambda calls them around a snapshot, on the local
 * runner's real DynamoDB Local, ElasticMQ and Redis and under each function's own permissions: priming changes
 * nothing anywhere and logs nothing but that it primed; a restore closes the cache connections the snapshot
 * held; and every function then serves its sample event. The functions without SnapStart prime the same way at an
 * on-demand init.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapStartPrimingTest {
    /**
     * The sample flow of SampleEventsTest invokes these; KeyRotationFunction's sample would begin a rotation of the key
     * file (PublishedKeysEndToEndTest rotates it; KeyRotationHandlerTest covers Secrets Manager), and
     * KeySetAuthorityFunction's answers at an S3 URL (KeySetAuthorityTest gives it one on loopback).
     */
    private static final Set<String> SERVED_ELSEWHERE = Set.of("RegisterFunction", "LoginFunction", "RefreshFunction",
            "GetCurrentUserFunction", "ServiceTokenFunction", "IntrospectFunction", "LogoutFunction", "HealthFunction",
            "JwksFunction", "OpenIdConfigurationFunction", "OutboxPublisherFunction", "RouteNotFoundFunction",
            "KeyRotationFunction", "KeySetAuthorityFunction");

    private static LocalService service;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static String table;

    @BeforeAll
    static void start() {
        service = LocalService.start(LocalOptions.inMemory().withEnvironment(TestEnvironment.FAST));
        ServiceConfig config = ServiceConfig.from(service.functionEnvironment("RegisterFunction"));
        dynamo = AwsClients.dynamoDb(config);
        sqs = AwsClients.sqs(config);
        table = config.tableName();
    }

    @AfterAll
    static void stop() {
        try {
            dynamo.close();
            sqs.close();
        } finally {
            service.close();
        }
    }

    @Test
    void everyFunctionIsPrimedAndRestoredWithoutAnySideEffectAndThenServesItsSampleEvent() throws InterruptedException {
        State before = state();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, UTF_8));
        int connectionsWhilePrimed;
        try {
            service.functionNames().forEach(service::beforeCheckpoint);
            connectionsWhilePrimed = cacheConnections();
            service.functionNames().forEach(service::afterRestore);
        } finally {
            Log.redirect(System.out);
        }

        assertEquals(before, state(), "no item, cache key or message written");
        List<String> messages = log.toString(UTF_8).lines().map(line -> String.valueOf(Json.parseObject(line).get("message"))).toList();
        assertEquals(service.functionNames().size(), messages.size(), log.toString(UTF_8));
        assertTrue(messages.stream().allMatch("primed for a SnapStart snapshot"::equals), log.toString(UTF_8));
        assertTrue(connectionsWhilePrimed > 0, "priming opened the cache connections");
        assertEquals(0, awaitNoCacheConnections(), "a restore closes every connection the snapshot held");

        SampleEventsTest.answerTheHttpSampleEvents(service);
        Map<String, String> placeholders = placeholders();
        for (String function : service.functionNames()) {
            if (!SERVED_ELSEWHERE.contains(function)) {
                assertServed(function, SampleEventsTest.invoke(service, function, sampleOf(function), placeholders));
            }
        }
    }

    /**
     * Lambda initialises a function without SnapStart on demand, on a full vCPU: each such function primes then, under
     * its own permissions, changing nothing; a function with SnapStart leaves priming to its snapshot.
     */
    @Test
    @Order(1) // before the sample flow, whose cache markers expire within seconds and would move the count
    void theFunctionsWithoutSnapStartPrimeAtAnOnDemandInitWithoutAnySideEffect() {
        Set<String> withSnapStart = Template.load(TemplateContractTest.repositoryRoot().resolve("template.yaml"))
                .functionsWithSnapStart();
        Set<String> withoutSnapStart = new TreeSet<>(service.functionNames());
        withoutSnapStart.removeAll(withSnapStart);
        State before = state();
        Map<String, List<String>> logged = new TreeMap<>();
        List<RequestStreamHandler> initialised = new ArrayList<>();
        try {
            for (String function : service.functionNames()) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                Log.redirect(new PrintStream(log, true, UTF_8));
                try {
                    initialised.add(service.initialiseOnDemand(function));
                } finally {
                    Log.redirect(System.out);
                }
                logged.put(function, log.toString(UTF_8).lines()
                        .map(line -> String.valueOf(Json.parseObject(line).get("message"))).toList());
            }

            assertEquals(before, state(), "no item, cache key or message written");
            logged.forEach((function, messages) -> assertEquals(
                    withoutSnapStart.contains(function) ? List.of("primed at an on-demand init") : List.of(), messages, function));
            assertEquals(10, withoutSnapStart.size(),
                    "the consumers, the three schedules, the rotation, the key-set authority and the operator's function");
        } finally {
            // Their cache connections closed: the other test counts the connections open.
            initialised.forEach(handler -> {
                if (handler instanceof SnapStartFunction hooks) {
                    hooks.afterRestore(null);
                }
            });
        }
    }

    /** An answer, not a failure of the function: below 500 for a route, no failed record for a batch. */
    private static void assertServed(String function, Map<String, Object> answer) {
        if (answer.get("statusCode") instanceof Number status) {
            assertTrue(status.intValue() < 500, function + ": " + answer);
        } else {
            assertEquals(List.of(), answer.getOrDefault("batchItemFailures", List.of()), function + ": " + answer);
        }
    }

    /** The sample user (registered by the sample flow) signed in again, a service token, and ids to fill in. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> placeholders() {
        Map<String, Object> signedIn = SampleEventsTest.data(SampleEventsTest.invoke(service, "LoginFunction", "login.json", Map.of()));
        Map<String, Object> client = service.serviceClient();
        Map<String, Object> granted = SampleEventsTest.data(SampleEventsTest.invoke(service, "ServiceTokenFunction",
                "service-token.json", Map.of("<CLIENT_ID>", (String) client.get("client_id"),
                        "<CLIENT_SECRET>", (String) client.get("client_secret"))));
        return Map.of(
                "<ACCESS_TOKEN>", (String) signedIn.get("access_token"),
                "<REFRESH_TOKEN>", (String) signedIn.get("refresh_token"),
                "<SERVICE_TOKEN>", (String) granted.get("access_token"),
                "<USER_ID>", (String) ((Map<String, Object>) signedIn.get("user")).get("id"),
                "<DEVICE_ID>", UUID.randomUUID().toString());
    }

    /** {@code GetNotificationProfileFunction}'s sample is {@code events/get-notification-profile.json}. */
    private static String sampleOf(String function) {
        String name = function.substring(0, function.length() - "Function".length());
        return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".json";
    }

    /** What priming must not change: the table's items, the cache's keys, every queue's messages. */
    private record State(int items, long cacheKeys, Map<String, Map<QueueAttributeName, String>> queues) {}

    private static State state() {
        int items = dynamo.scan(request -> request.tableName(table).select(Select.COUNT).consistentRead(true)).count();
        long keys;
        try (Jedis redis = new Jedis(service.redisUrl())) {
            keys = redis.dbSize();
        }
        Map<String, Map<QueueAttributeName, String>> queues = new TreeMap<>();
        for (String queue : sqs.listQueues().queueUrls()) {
            queues.put(queue, sqs.getQueueAttributes(request -> request.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes());
        }
        return new State(items, keys, queues);
    }

    /** Connections to the cache server, the counting one left out. */
    private static int cacheConnections() {
        try (Jedis redis = new Jedis(service.redisUrl())) {
            return (int) redis.clientList().lines().count() - 1;
        }
    }

    /** The server sees a client's close a moment after it happens. */
    private static int awaitNoCacheConnections() throws InterruptedException {
        int connections = cacheConnections();
        // By time, not by tries: a loaded machine may take longer than fifty quick looks.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (connections > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            connections = cacheConnections();
        }
        return connections;
    }
}

package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The fixture of the end-to-end tests: the whole service started by the local runner, with what the tests use to
 * reach it: the HTTP {@link Api}, the {@code user-events} queue as {@link PublishedEvents}, the table (read directly
 * only to prove what was or was not stored) and {@link Accounts} made through the real routes. A test class holds
 * one as a {@code @RegisterExtension} static field: {@link #shared()} for the usual settings, or one started for the
 * class alone when it needs settings of its own, which JUnit closes after the class's last test.
 *
 * <p>Tests on the shared service make their own accounts and look only at what those accounts caused (events of
 * their user ids, their own email prefixes), since earlier classes' users are in the same table and queue. The
 * samples' fixed email ({@code events/register.json}) is registered on it by one class only,
 * {@link PasswordAndVerificationEndToEndTest}; a class needing a fresh table or other settings starts its own.
 */
record RunningService(LocalService service, Api api, PublishedEvents events, DynamoDbClient dynamo, String table,
        Accounts accounts, boolean jvmWide) implements AutoCloseable, AfterAllCallback {

    /**
     * The one service of this JVM with the settings of tests that are not about cost or limits
     * ({@link TestEnvironment#FAST}): started by the first class that asks, closed when the JVM exits (however the
     * test runner groups classes into launches). One boot instead of one per class: the boot is a good part of a
     * short class's time.
     */
    static RunningService shared() {
        return Shared.SERVICE;
    }

    /**
     * Started on first use (class initialisation is thread-safe and happens once). A queue message a function failed
     * on comes back at once instead of after its visibility timeout (minutes), so a test sees the retry.
     */
    private static final class Shared {
        static final RunningService SERVICE = start(
                LocalOptions.inMemory().withEnvironment(TestEnvironment.FAST).withQueueRetryDelay(Duration.ZERO), true);

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(SERVICE::close, "shared local service"));
        }
    }

    /** A service of the class's own with the settings of tests that are not about cost or limits. */
    static RunningService start() {
        return start(TestEnvironment.FAST);
    }

    /** The service, in memory on free ports, with these function settings. */
    static RunningService start(Map<String, String> environment) {
        return start(LocalOptions.inMemory().withEnvironment(environment));
    }

    static RunningService start(LocalOptions options) {
        return start(options, false);
    }

    private static RunningService start(LocalOptions options, boolean jvmWide) {
        LocalService service = LocalService.start(options);
        PublishedEvents events = null;
        try {
            Api api = new Api(service.apiUrl());
            events = new PublishedEvents(service);
            ServiceConfig config = ServiceConfig.from(service.functionEnvironment("RegisterFunction"));
            DynamoDbClient dynamo = AwsClients.dynamoDb(config);
            return new RunningService(service, api, events, dynamo, config.tableName(),
                    new Accounts(service, api, dynamo, config.tableName()), jvmWide);
        } catch (RuntimeException e) {
            if (events != null) {
                events.close();
            }
            service.close();
            throw e;
        }
    }

    /** A client of the runner's Redis, for a test that looks at what the service cached. */
    Jedis redis() {
        return new Jedis(service.redisUrl().getHost(), service.redisUrl().getPort());
    }

    /** A service token for the runner's development client, through the real client-credentials grant. */
    String serviceToken() {
        Map<String, Object> client = service.serviceClient();
        Api.Response granted = api.post("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                "client_id", client.get("client_id"), "client_secret", client.get("client_secret")));
        assertEquals(200, granted.status(), granted.text());
        return (String) granted.data().get("access_token");
    }

    /** A class's own service is closed after its last test; the shared one lives on for the next class. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (!jvmWide) {
            close();
        }
    }

    /** Closes what it opened in reverse order; the service is stopped even if a client fails to close. */
    @Override
    public void close() {
        try {
            try {
                dynamo.close();
            } finally {
                events.close();
            }
        } finally {
            service.close();
        }
    }
}

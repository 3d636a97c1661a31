package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.health.HealthCheck;
import dev.userservice.store.DynamoHealthProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The health check's database probe against DynamoDB Local: up with the table, down without it or without a server. */
class DynamoHealthProbeTest {
    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();

    @Test
    void theTableAnsweringMakesTheDatabaseCheckOk() throws Exception {
        HealthCheck.Probe probe = DynamoHealthProbe.of(() -> dynamo, DynamoDbLocalTable.TABLE);

        assertTrue(probe.call());
        assertEquals(HealthCheck.Status.OK, databaseCheck(probe));
    }

    @Test
    void aTableThatDoesNotExistMakesTheDatabaseCheckAndTheServiceDown() {
        HealthCheck.Probe probe = DynamoHealthProbe.of(() -> dynamo, "NoSuchTable");

        HealthCheck.Report report = healthCheck(probe).run();

        assertEquals(HealthCheck.Status.DOWN, report.checks().get("dynamodb").status());
        assertEquals(HealthCheck.Status.DOWN, report.status());
    }

    @Test
    void anEndpointNobodyListensOnMakesTheDatabaseCheckAndTheServiceDown() throws IOException {
        try (DynamoDbClient unreachable = clientOf(URI.create("http://localhost:" + freePort()))) {
            HealthCheck.Probe probe = DynamoHealthProbe.of(() -> unreachable, DynamoDbLocalTable.TABLE);

            HealthCheck.Report report = healthCheck(probe).run();

            assertEquals(HealthCheck.Status.DOWN, report.checks().get("dynamodb").status());
            assertEquals(HealthCheck.Status.DOWN, report.status());
        }
    }

    @Test
    void theClientIsAskedForOnlyWhenTheProbeRuns() throws Exception {
        AtomicBoolean asked = new AtomicBoolean();

        HealthCheck.Probe probe = DynamoHealthProbe.of(() -> {
            asked.set(true);
            return dynamo;
        }, DynamoDbLocalTable.TABLE);
        assertEquals(false, asked.get(), "making the probe does not build a client");

        probe.call();

        assertTrue(asked.get());
    }

    private static HealthCheck healthCheck(HealthCheck.Probe database) {
        return new HealthCheck(database, Optional.empty(), Optional.empty(), "test");
    }

    private static HealthCheck.Status databaseCheck(HealthCheck.Probe database) {
        return healthCheck(database).run().checks().get("dynamodb").status();
    }

    /** A port that was free a moment ago: nothing listens on it once the socket is closed. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A client that gives up at once, so a refused connection fails the probe without the SDK's retries. */
    private static DynamoDbClient clientOf(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }
}

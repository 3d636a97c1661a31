package dev.userservice.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.config.ServiceConfig;
import dev.userservice.store.DryRunOperations;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A dry run is prepared to the point of sending and not sent, against an endpoint that counts the connections made
 * to it (and closes each at once): the priming of a snapshot can run every table operation's request path without
 * changing anything or needing a permission.
 */
class DryRunTest {
    private ServerSocket endpoint;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        endpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!endpoint.isClosed()) {
                try (Socket ignored = endpoint.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        endpoint.close();
        acceptor.join();
    }

    @Test
    void everyOperationOfTheStoresButGetItemIsPreparedAndNoneIsSent() {
        Set<String> prepared = new TreeSet<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                prepared.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(endpointUri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .overrideConfiguration(override -> override.addExecutionInterceptor(recorder).addExecutionInterceptor(new DryRun()))
                .build()) {
            DryRunOperations.prepare(dynamo, "Table", "nobody");
        }

        Set<String> usedByTheStores = Arrays.stream(FirstUseDynamoDbClient.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()) && method.getParameterCount() == 1)
                .map(Method::getName)
                .map(name -> Character.toUpperCase(name.charAt(0)) + name.substring(1))
                .collect(Collectors.toCollection(TreeSet::new));
        usedByTheStores.remove("GetItem");
        assertEquals(usedByTheStores, prepared);
        assertEquals(0, connections.get(), "nothing sent");
    }

    @Test
    void theServicesClientsCarryTheDryRunAndSendEveryRequestOutsideIt() {
        ServiceConfig config = ServiceConfig.from(Map.of("TABLE_NAME", "Table", "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret", "DYNAMODB_ENDPOINT", endpointUri().toString()));
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(config)) {
            DryRun.prepare(() -> dynamo.getItem(request -> request.tableName("Table").key(Map.of())));
            assertEquals(0, connections.get(), "the dry run is not sent");

            assertThrows(SdkClientException.class, () -> dynamo.getItem(request -> request.tableName("Table").key(Map.of())));
            assertTrue(connections.get() > 0, "a request outside DryRun.prepare is sent");
        }
    }

    private URI endpointUri() {
        return URI.create("http://127.0.0.1:" + endpoint.getLocalPort());
    }
}

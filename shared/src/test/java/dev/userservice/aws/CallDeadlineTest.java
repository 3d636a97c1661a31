package dev.userservice.aws;

import static dev.userservice.testing.LambdaContexts.withRemaining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.config.ServiceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A table that takes connections and never answers, as a stalled one does: a call made near the end of an
 * invocation fails when the invocation's time for calls is spent, not when the client's own timeouts are, and a
 * call made after that is not sent at all.
 */
class CallDeadlineTest {
    private ServerSocket stalled;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;
    private DynamoDbClient dynamo;

    @BeforeEach
    void listen() throws IOException {
        stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!stalled.isClosed()) {
                try {
                    held.add(stalled.accept());
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        dynamo = AwsClients.dynamoDb(ServiceConfig.from(Map.of("TABLE_NAME", "Table", "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:" + stalled.getLocalPort())));
    }

    @AfterEach
    void close() throws Exception {
        InvocationDeadline.end();
        dynamo.close();
        stalled.close();
        for (Socket socket : held) {
            socket.close();
        }
        acceptor.join();
    }

    @Test
    void aCallNearTheInvocationsEndGetsOnlyTheTimeLeft() {
        InvocationDeadline.begin(withRemaining(InvocationDeadline.ANSWER_TIME.toMillis() + 500));

        long started = System.nanoTime();
        assertThrows(ApiCallTimeoutException.class, this::getItem);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The client's own attempt timeout is 3 seconds: without the deadline the call would still be waiting.
        assertTrue(took.compareTo(Duration.ofMillis(1_500)) < 0, "failed after " + took);
        assertTrue(connections.get() > 0, "the call was sent");
    }

    @Test
    void aCallWithNoTimeLeftIsNotSent() {
        InvocationDeadline.begin(withRemaining(InvocationDeadline.ANSWER_TIME.toMillis()));

        assertThrows(ApiCallTimeoutException.class, this::getItem);
        assertEquals(0, connections.get());
    }

    private void getItem() {
        dynamo.getItem(request -> request.tableName("Table").key(Map.of()));
    }
}

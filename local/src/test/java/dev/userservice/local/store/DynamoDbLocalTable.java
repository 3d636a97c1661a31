package dev.userservice.local.store;

import dev.userservice.local.LocalDynamoDb;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.paginators.QueryIterable;

/**
 * DynamoDB Local alone with the template's table, started once per JVM and shared by the adapters' integration
 * tests (each test writes under ids of its own, so they need no clean table).
 */
public final class DynamoDbLocalTable {
    /** The table's logical id in {@code template.yaml}, which is its name locally. */
    public static final String TABLE = "Table";

    private static LocalDynamoDb started;

    private DynamoDbLocalTable() {}

    /** A client of the shared DynamoDB Local, started on first use and stopped when the JVM exits. */
    public static synchronized DynamoDbClient client() {
        if (started == null) {
            LocalDynamoDb dynamo = LocalDynamoDb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(dynamo::close));
            started = dynamo;
        }
        return started.client();
    }

    /**
     * The shared client, counting the queries sent through it, its paginators' pages among them (a paginator built
     * on the real client would send them past the count).
     */
    public static DynamoDbClient countingQueries(AtomicInteger queries) {
        DynamoDbClient dynamo = client();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("queryPaginator") && args[0] instanceof QueryRequest request) {
                        return new QueryIterable((DynamoDbClient) proxy, request);
                    }
                    if (method.isDefault() && args != null && args[0] instanceof Consumer) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (method.getName().equals("query")) {
                        queries.incrementAndGet();
                    }
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;


import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The fixture of the end-to-end tests: the whole service started by the local runner, with what the tests use to
 * reach it: the HTTP {@link Api}, the {@code user-events} queue as {@link PublishedEvents}, the table (read directly
 * only to prove what was or was not stored) and {@link Accounts} made through the real routes. A test class holds
 * one as a {@code @RegisterExtension} static field; JUnit closes it after the class's last test.
 */
record RunningService(LocalService service, Api api, PublishedEvents events, DynamoDbClient dynamo, String table,
        Accounts accounts) implements AutoCloseable, AfterAllCallback {

    /** The service with the settings of tests that are not about cost or limits ({@link TestEnvironment#FAST}). */
    static RunningService start() {
        return start(TestEnvironment.FAST);
    }

    /** The service, in memory on free ports, with these function settings. */
    static RunningService start(Map<String, String> environment) {
        return start(LocalOptions.inMemory().withEnvironment(environment));
    }

    static RunningService start(LocalOptions options) {
        LocalService service = LocalService.start(options);
        PublishedEvents events = null;
        try {
            Api api = new Api(service.apiUrl());
            events = new PublishedEvents(service);
            ServiceConfig config = ServiceConfig.from(service.functionEnvironment("RegisterFunction"));
            DynamoDbClient dynamo = AwsClients.dynamoDb(config);
            return new RunningService(service, api, events, dynamo, config.tableName(),
                    new Accounts(service, api, dynamo, config.tableName()));
        } catch (RuntimeException e) {
            if (events != null) {
                events.close();
            }
            service.close();
            throw e;
        }
    }

    /** A service token for the runner's development client, through the real client-credentials grant. */
    String serviceToken() {
        Map<String, Object> client = service.serviceClient();
        Api.Response granted = api.post("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                "client_id", client.get("client_id"), "client_secret", client.get("client_secret")));
        assertEquals(200, granted.status(), granted.text());
        return (String) granted.data().get("access_token");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
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

package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.aws.AwsClients;
import dev.userservice.config.ServiceConfig;
import dev.userservice.json.Json;
import dev.userservice.local.LocalService;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Accounts for the end-to-end tests of the account and admin routes, made through the real routes: registration,
 * sign-in, and the operator's {@code PromoteAdminFunction} for admins. The table is read directly only to prove
 * what was or was not stored.
 */
final class Accounts implements AutoCloseable {
    static final String PASSWORD = "lilac tractor honey window";

    private final LocalService service;
    private final Api api;
    private final DynamoDbClient dynamo;
    private final String table;

    Accounts(LocalService service, Api api) {
        this.service = service;
        this.api = api;
        ServiceConfig config = ServiceConfig.from(service.functionEnvironment("RegisterFunction"));
        this.dynamo = AwsClients.dynamoDb(config);
        this.table = config.tableName();
    }

    /** A signed-in account: its id, email, and the tokens of its session. */
    record Account(String id, String email, String accessToken, String refreshToken) {
        String authorization() {
            return bearer(accessToken);
        }
    }

    static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@example.com";
    }

    Account register(String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", PASSWORD);
        body.put("name", "Alice Example");
        body.put("timezone", "Europe/Berlin");
        Api.Response registered = api.post("/api/v1/auth/register", body);
        assertEquals(201, registered.status(), registered.text());
        return account(registered.data());
    }

    Account login(String email) {
        Api.Response login = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertEquals(200, login.status(), login.text());
        return account(login.data());
    }

    /** An admin made the documented way: registered, promoted by the operator's function, signed in again. */
    Account admin() {
        String email = uniqueEmail("admin");
        register(email);
        Map<String, Object> promoted = promote(email);
        assertEquals(true, promoted.get("changed"), promoted.toString());
        return login(email);
    }

    Map<String, Object> promote(String email) {
        return invoke("PromoteAdminFunction", Json.writeBytes(Map.of("email", email)));
    }

    Map<String, Object> invoke(String function, byte[] event) {
        return Json.parseObject(new String(service.invoke(function, event), StandardCharsets.UTF_8));
    }

    Api.Response patch(String path, Account caller, Object body) {
        return api.send("PATCH", path, Json.write(body), "Authorization", caller.authorization(), "Content-Type", "application/json");
    }

    Api.Response me(Account caller) {
        return api.get("/api/v1/users/me", "Authorization", caller.authorization());
    }

    /**
     * Every item of the user, wherever it lives: in its partition, owned by it, or naming it. Only the tests scan;
     * the service finds them with queries.
     */
    List<Map<String, AttributeValue>> itemsOf(String userId) {
        return dynamo.scanPaginator(request -> request.tableName(table)
                        .filterExpression("contains(pk, :id) OR #owner = :owner OR user_id = :id")
                        .expressionAttributeNames(Map.of("#owner", "owner"))
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(userId),
                                ":owner", AttributeValue.fromS("USER#" + userId))))
                .items().stream().toList();
    }

    Map<String, AttributeValue> item(String pk, String sk) {
        return dynamo.getItem(request -> request.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    void deleteItem(String pk, String sk) {
        dynamo.deleteItem(request -> request.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))));
    }

    private static Account account(Map<String, Object> grant) {
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) grant.get("user");
        return new Account((String) user.get("id"), (String) user.get("email"),
                (String) grant.get("access_token"), (String) grant.get("refresh_token"));
    }

    @Override
    public void close() {
        dynamo.close();
    }
}

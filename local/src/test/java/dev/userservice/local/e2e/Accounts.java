package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.userservice.json.Json;
import dev.userservice.local.LocalService;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Accounts for the end-to-end tests, made through the real routes: registration, sign-in, and the operator's
 * {@code PromoteAdminFunction} for admins; and the checks the tests share on what the routes answer and store. The
 * table is read directly only to prove what was or was not stored.
 */
final class Accounts {
    static final String PASSWORD = "lilac tractor honey window";

    private final LocalService service;
    private final Api api;
    private final DynamoDbClient dynamo;
    private final String table;

    Accounts(LocalService service, Api api, DynamoDbClient dynamo, String table) {
        this.service = service;
        this.api = api;
        this.dynamo = dynamo;
        this.table = table;
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

    /** A registration body with {@link #PASSWORD}, open to changes by the test. */
    static Map<String, Object> registration(String email) {
        return registration(email, "Alice Example");
    }

    static Map<String, Object> registration(String email, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", PASSWORD);
        body.put("name", name);
        body.put("timezone", "Europe/Berlin");
        return body;
    }

    Account register(String email) {
        return account(registerGrant(email));
    }

    /** Registers with {@link #registration(String)}; the grant: the tokens and the user. */
    Map<String, Object> registerGrant(String email) {
        return registerGrant(registration(email));
    }

    Map<String, Object> registerGrant(Map<String, Object> body) {
        Api.Response registered = api.post("/api/v1/auth/register", body);
        assertEquals(201, registered.status(), registered.text());
        return registered.data();
    }

    Account login(String email) {
        return account(loginGrant(email, PASSWORD));
    }

    /** Signs in; the grant of the new session. */
    Map<String, Object> loginGrant(String email, String password) {
        return loginGrant(Map.of("email", email, "password", password));
    }

    Map<String, Object> loginGrant(Map<String, Object> body, String... headers) {
        Api.Response login = api.post("/api/v1/auth/login", body, headers);
        assertEquals(200, login.status(), login.text());
        return login.data();
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

    /** Whether each of the caller's devices is active, by id, as their list shows it. */
    @SuppressWarnings("unchecked")
    Map<String, Boolean> devicesActiveById(Account caller) {
        Api.Response listed = api.get("/api/v1/users/me/devices", "Authorization", caller.authorization());
        assertEquals(200, listed.status(), listed.text());
        return ((List<Map<String, Object>>) listed.body().get("data")).stream()
                .collect(Collectors.toMap(item -> (String) item.get("id"), item -> (Boolean) item.get("active")));
    }

    static String access(Map<String, Object> grant) {
        return (String) grant.get("access_token");
    }

    @SuppressWarnings("unchecked")
    static String userId(Map<String, Object> grant) {
        return (String) ((Map<String, Object>) grant.get("user")).get("id");
    }

    /** An error envelope: this status and error code, no success, no data. */
    static void assertError(Api.Response response, int status, String error) {
        assertEquals(status, response.status(), response.text());
        assertEquals(error, response.error(), response.text());
        assertEquals(Boolean.FALSE, response.body().get("success"));
        assertNull(response.body().get("data"));
    }

    /** The fields a {@code validation_failed} answer names, in its order. */
    @SuppressWarnings("unchecked")
    static List<String> detailFields(Api.Response response) {
        assertEquals("validation_failed", response.error(), response.text());
        return ((List<Map<String, Object>>) response.body().get("details")).stream().map(detail -> (String) detail.get("field")).toList();
    }

    /** The statuses and error codes of concurrent attempts, for the messages of assertions about them. */
    static String statuses(List<Api.Response> responses) {
        return responses.stream().map(response -> response.status() + " " + response.error()).toList().toString();
    }

    /**
     * Only the tests scan: every item is counted to prove a refused request wrote nothing. Rate-limit counters are
     * left out: they count attempts, good or bad, and live in the table only while the cache is down; so are the
     * service counters and their applied-once markers, which the stream consumer writes later for earlier changes.
     */
    int itemCount() {
        return dynamo.scanPaginator(request -> request.tableName(table).select("COUNT")
                        .filterExpression("attribute_not_exists(#type) OR NOT (#type IN (:counter, :metric, :applied))")
                        .expressionAttributeNames(Map.of("#type", "type"))
                        .expressionAttributeValues(Map.of(":counter", AttributeValue.fromS("rate_counter"),
                                ":metric", AttributeValue.fromS("metric"), ":applied", AttributeValue.fromS("metrics_applied"))))
                .stream().mapToInt(page -> page.count()).sum();
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

    /**
     * What an erasure must leave of the user: nothing but its outbox events, which expire two days after they occurred,
     * and its statuses' markers as tombstones of its id and nothing else, which expire with the statuses.
     */
    List<Map<String, AttributeValue>> itemsOfBesidesEvents(String userId) {
        return itemsOf(userId).stream()
                .filter(item -> !"outbox".equals(item.get("type").s()))
                .filter(item -> !item.keySet().equals(Set.of("pk", "sk", "type", "user_id", "expires_at", "erased")))
                .toList();
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
}

package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.statuses;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.userservice.cache.CacheKeys;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The first slice end to end: real HTTP through the local runner, on DynamoDB Local, ElasticMQ and a real Redis.
 */
class AuthSliceEndToEndTest {
    /**
     * A service of its own: a test here stops or stalls Redis, which on the shared one would open the cache breakers
     * of other classes' functions for 15 s and change what their tests see.
     */
    @RegisterExtension
    static final RunningService running = RunningService.start();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    @Test
    void registerLoginReadRefreshAndLogoutWorkEndToEnd() {
        String email = uniqueEmail("user");

        Api.Response registered = api.post("/api/v1/auth/register", registration(email));
        assertEquals(201, registered.status(), registered.text());
        assertEquals("no-store", registered.header("Cache-Control"));
        assertEquals("application/json", registered.header("Content-Type"));
        assertNotNull(registered.header("X-Request-Id"));
        Map<String, Object> grant = registered.data();
        assertEquals("Bearer", grant.get("token_type"));
        assertEquals(900L, ((Number) grant.get("expires_in")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) grant.get("user");
        assertEquals(email, user.get("email"));
        assertEquals("active", user.get("status"));
        assertEquals("user", user.get("role"));
        assertFalse(registered.text().contains("password"), "no password or hash in the response");

        Api.Response me = api.get("/api/v1/users/me", "Authorization", bearer(access(grant)));
        assertEquals(200, me.status(), me.text());
        assertEquals(user.get("id"), me.data().get("id"));
        Api.Response meAgain = api.get("/api/v1/users/me", "Authorization", bearer(access(grant)));
        assertEquals(me.data(), meAgain.data(), "the cached view equals the stored one");

        Api.Response login = api.post("/api/v1/users/login", Map.of("email", email.toUpperCase(), "password", PASSWORD, "device_name", "laptop"));
        assertEquals(200, login.status(), login.text());
        String refreshToken = (String) login.data().get("refresh_token");

        Api.Response refreshed = api.post("/api/v1/auth/refresh", Map.of("refresh_token", refreshToken));
        assertEquals(200, refreshed.status(), refreshed.text());
        assertNotEquals(refreshToken, refreshed.data().get("refresh_token"));
        String accessToken = (String) refreshed.data().get("access_token");

        Api.Response logout = api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(accessToken));
        assertEquals(200, logout.status(), logout.text());
    }

    /** A Simple JWT client signs out naming its refresh token: another session's ends with the caller's. */
    @Test
    void aLogoutNamingAnotherSessionsRefreshTokenEndsThatSessionToo() {
        String email = uniqueEmail("user");
        Map<String, Object> first = register(email);
        Map<String, Object> second = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).data();

        Api.Response logout = api.post("/api/v1/users/logout", Map.of("refresh", second.get("refresh_token")),
                "Authorization", bearer(access(first)));

        assertEquals(200, logout.status(), logout.text());
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(access(first))).status());
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer((String) second.get("access_token"))).status());
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", second.get("refresh_token"))).error());
    }

    @Test
    void logsCarryRequestsButNoPasswordsOrTokens() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String email = uniqueEmail("user");
        Map<String, Object> grant;
        Map<String, Object> refreshed;
        try {
            grant = register(email);
            api.post("/api/v1/auth/login", Map.of("email", email, "password", "a wrong password guess"));
            refreshed = api.post("/api/v1/auth/refresh", Map.of("refresh_token", grant.get("refresh_token"))).data();
            api.get("/api/v1/users/me", "Authorization", bearer(access(refreshed)));
        } finally {
            Log.redirect(System.out);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("\"route\":\"POST /api/v1/auth/register\"") && logs.contains("\"status\":201"), logs);
        assertTrue(logs.contains("\"latency_ms\""), logs);
        for (String secret : List.of(PASSWORD, "a wrong password guess", access(grant),
                (String) grant.get("refresh_token"), (String) refreshed.get("refresh_token"), access(refreshed))) {
            assertFalse(logs.contains(secret), "a secret reached the log");
        }
    }

    @Test
    void accessTokensVerifyWithThePublishedKeys() throws Exception {
        String accessToken = access(register(uniqueEmail("user")));
        String kid = SignedJWT.parse(accessToken).getHeader().getKeyID();

        Api.Response jwks = api.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks.text());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.body().get("keys");
        assertTrue(keys.stream().anyMatch(key -> kid.equals(key.get("kid"))), "the signing key is published at the top level");
        assertTrue(keys.stream().noneMatch(key -> key.containsKey("d")), "no private key material");
        assertEquals(jwks.body().get("keys"), jwks.data().get("keys"));

        Api.Response discovery = api.get("/.well-known/openid-configuration");
        assertEquals(200, discovery.status(), discovery.text());
        assertEquals(running.service().apiUrl().toString().replaceAll("/$", "") + "/.well-known/jwks.json", discovery.body().get("jwks_uri"));
        assertEquals(List.of("ES256"), discovery.body().get("id_token_signing_alg_values_supported"));
        assertEquals(SignedJWT.parse(accessToken).getJWTClaimsSet().getIssuer(), discovery.body().get("issuer"));
    }

    @Test
    void concurrentRegistrationsOfOneEmailCreateExactlyOneAccount() throws Exception {
        String email = uniqueEmail("user");
        int before = accounts.itemCount();
        List<Callable<Api.Response>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(() -> api.post("/api/v1/auth/register", registration(email)));
        }
        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<Api.Response> response : pool.invokeAll(attempts)) {
                responses.add(response.get());
            }
        }
        assertEquals(1, responses.stream().filter(response -> response.status() == 201).count(), statuses(responses));
        assertEquals(19, responses.stream().filter(response -> response.status() == 409 && "email_taken".equals(response.error())).count(), statuses(responses));
        // user, email claim, preferences, session, its live marker, refresh token, user.registered in the outbox
        assertEquals(before + 7, accounts.itemCount());
        String userId = userId(responses.stream().filter(response -> response.status() == 201).findFirst().orElseThrow().data());
        events.await("user.registered", userId);
        events.receiveEverythingPublished();
        assertEquals(1, registeredEventsFor(email), "the 19 refused registrations published nothing");
    }

    @Test
    void registrationPublishesUserRegisteredWithoutSecrets() {
        String email = uniqueEmail("user");
        Map<String, Object> grant = register(email);
        String userId = userId(grant);

        Map<String, Object> event = events.await("user.registered", userId);

        assertEquals(Map.of("email", email, "name", "Alice Example", "locale", "en", "timezone", "Europe/Berlin"), event.get("data"));
        String text = Json.write(event);
        assertFalse(text.contains(PASSWORD) || text.contains((String) grant.get("refresh_token")), "no secret in the event");
    }

    /** The service keeps internationalised addresses as given (the domain in Unicode): the events' schemas say idn-email. */
    @Test
    void anInternationalisedAddressIsPublishedAsTheSchemaDescribesIt() {
        String email = "jos\u00e9-" + UUID.randomUUID() + "@b\u00fccher.de";
        String userId = userId(register(email));

        assertEquals(email, ((Map<?, ?>) events.await("user.registered", userId).get("data")).get("email"));
    }

    /**
     * SQS refuses U+FFFE and U+FFFF in a message body: a custom preference holding them must not make the user's
     * events unsendable. A name is refused them outright.
     */
    @Test
    void aValueWithUnicodeNoncharactersIsPublishedInItsEvents() {
        Map<String, Object> body = registration(uniqueEmail("user"));
        body.put("name", "Bob\uFFFF");
        assertEquals(400, api.post("/api/v1/auth/register", body).status(), "a name shows as it is to other users");
        Map<String, Object> grant = register(uniqueEmail("user"));
        String userId = userId(grant);

        Api.Response changed = api.send("PATCH", "/api/v1/users/me/preferences",
                Json.write(Map.of("custom", Map.of("nickname", "Bob\uFFFF\uFFFE"))),
                "Authorization", "Bearer " + grant.get("access_token"), "Content-Type", "application/json");
        assertEquals(200, changed.status(), changed.text());

        Map<?, ?> after = (Map<?, ?>) ((Map<?, ?>) events.await("preferences.updated", userId).get("data")).get("after");
        assertEquals(Map.of("nickname", "Bob\uFFFF\uFFFE"), after.get("custom"));
    }

    @Test
    void retriedRegistrationRunsAgainAndNeverReplaysTheTokenPair() {
        // Registration hands out a token pair, so its Idempotency-Key is ignored: the retry meets the account it
        // created (409 email_taken, the client signs in), and the same key with another body is another request.
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = registration(uniqueEmail("user"));

        Api.Response first = api.post("/api/v1/auth/register", body, "Idempotency-Key", key);
        Api.Response retry = api.post("/api/v1/auth/register", body, "Idempotency-Key", key);
        Api.Response otherBody = api.post("/api/v1/auth/register", registration(uniqueEmail("user")), "Idempotency-Key", key);

        assertEquals(201, first.status(), first.text());
        assertEquals(409, retry.status(), retry.text());
        assertEquals("email_taken", retry.error());
        assertNull(retry.header("Idempotent-Replayed"));
        assertFalse(retry.text().contains("refresh_token"), "no token pair in the retry's answer");
        assertEquals(201, otherBody.status(), otherBody.text());
    }

    @Test
    void reusingARetiredRefreshTokenRevokesTheSession() {
        Map<String, Object> grant = register(uniqueEmail("user"));
        String first = (String) grant.get("refresh_token");
        Api.Response rotated = api.post("/api/v1/auth/refresh", Map.of("refresh_token", first));
        assertEquals(200, rotated.status(), rotated.text());
        String second = (String) rotated.data().get("refresh_token");
        String access = (String) rotated.data().get("access_token");

        Api.Response reuse = api.post("/api/v1/auth/refresh", Map.of("refresh_token", first));

        assertEquals(401, reuse.status());
        assertEquals("invalid_token", reuse.error());
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", second)).error(),
                "the whole family is revoked, including the newest token");
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(access)).status());
    }

    @Test
    void accessTokenIsRefusedRightAfterLogout() {
        Map<String, Object> grant = register(uniqueEmail("user"));
        String access = (String) grant.get("access_token");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access)).status());

        assertEquals(200, api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(access)).status());

        Api.Response me = api.get("/api/v1/users/me", "Authorization", bearer(access));
        assertEquals(401, me.status());
        assertEquals("unauthorized", me.error());
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", grant.get("refresh_token"))).error());
    }

    @Test
    void sessionChecksAreAnsweredFromTheCacheAndRevocationsReachItAtOnce() throws Exception {
        String access = (String) register(uniqueEmail("user")).get("access_token");
        String sessionId = SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("sid");
        String userId = SignedJWT.parse(access).getJWTClaimsSet().getSubject();
        try (Jedis redis = running.redis()) {
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access)).status());
            assertTrue(redis.exists(CacheKeys.sessionActive(userId, sessionId)), "the next request reads the session's state from the cache");

            api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(access));

            assertTrue(redis.exists(CacheKeys.sessionRevoked(userId, sessionId)));
            assertFalse(redis.exists(CacheKeys.sessionActive(userId, sessionId)));
            assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(access)).status());
        }
    }

    @Test
    void anAccountDisabledByAFunctionThatDiedBeforeRevokingStillEndsItsSessions() {
        Map<String, Object> grant = register(uniqueEmail("user"));
        String userId = userId(grant);

        // What a crash between storing the status and revoking the sessions one by one leaves behind.
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + userId), "sk", AttributeValue.fromS("PROFILE")))
                .updateExpression("SET #status = :disabled")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":disabled", AttributeValue.fromS("disabled"))));

        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(access(grant))).status());
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        String email = uniqueEmail("user");
        register(email);

        Api.Response wrongPassword = api.post("/api/v1/auth/login", Map.of("email", email, "password", "not the password at all"));
        Api.Response unknownEmail = api.post("/api/v1/auth/login", Map.of("email", uniqueEmail("user"), "password", PASSWORD));

        assertEquals(401, wrongPassword.status());
        assertEquals("invalid_credentials", wrongPassword.error());
        assertEquals(wrongPassword.status(), unknownEmail.status());
        assertEquals(wrongPassword.body(), unknownEmail.body());
    }

    @Test
    void badBodiesGetTheRight4xxAndStoreNothing() {
        String email = uniqueEmail("user");
        int before = accounts.itemCount();

        assertError(api.postRaw("/api/v1/auth/register", "{\"email\": "), 400, "malformed_json");
        assertError(api.postRaw("/api/v1/auth/register", "[1, 2]"), 400, "malformed_json");
        assertError(api.postRaw("/api/v1/auth/register", "email=" + email, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");

        Map<String, Object> wrongTypes = new LinkedHashMap<>();
        wrongTypes.put("email", 42);
        wrongTypes.put("password", List.of("a"));
        wrongTypes.put("name", true);
        wrongTypes.put("preferences", Map.of("push", "yes"));
        Api.Response invalid = api.post("/api/v1/auth/register", wrongTypes);
        assertError(invalid, 400, "validation_failed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> details = (List<Map<String, Object>>) invalid.body().get("details");
        assertEquals(List.of("email", "password", "name", "preferences.push"), details.stream().map(detail -> detail.get("field")).toList(),
                "every bad field is reported at once");

        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("email", null);
        nulls.put("password", null);
        nulls.put("name", null);
        assertError(api.post("/api/v1/auth/register", nulls), 400, "validation_failed");
        assertError(api.post("/api/v1/auth/refresh", java.util.Collections.singletonMap("refresh_token", null)), 400, "validation_failed");

        Map<String, Object> unknownField = registration(email);
        unknownField.put("is_admin", true);
        assertError(api.post("/api/v1/auth/register", unknownField), 400, "validation_failed");

        Map<String, Object> hugeEmail = registration("a".repeat(10_000) + "@example.com");
        assertError(api.post("/api/v1/auth/register", hugeEmail), 400, "validation_failed");

        Map<String, Object> hugeBody = registration(email);
        hugeBody.put("name", "x".repeat(1024 * 1024));
        assertError(api.post("/api/v1/auth/register", hugeBody), 413, "payload_too_large");

        Map<String, Object> commonPassword = registration(email);
        commonPassword.put("password", "password123");
        assertError(api.post("/api/v1/auth/register", commonPassword), 400, "validation_failed");

        assertEquals(before, accounts.itemCount(), "no bad request stored anything");
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).error());
    }

    @Test
    void unknownRoutesAndWrongMethodsGetTheirEnvelopes() {
        assertError(api.toDefaultRoute().get("/api/v1/nothing-here"), 404, "not_found");
        Api.Response wrongMethod = api.toDefaultRoute().send("DELETE", "/api/v1/auth/login", null);
        assertError(wrongMethod, 405, "method_not_allowed");
        assertTrue(wrongMethod.header("Allow").contains("POST"));
        assertError(api.get("/api/v1/users/me"), 401, "unauthorized");
        assertError(api.get("/api/v1/users/me", "Authorization", "Bearer not-a-jwt"), 401, "unauthorized");
    }

    @Test
    void healthReportsEveryDependency() {
        Api.Response health = api.get("/health");
        assertEquals(200, health.status(), health.text());
        assertEquals("ok", health.data().get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> checks = (Map<String, Map<String, Object>>) health.data().get("checks");
        assertEquals("ok", checks.get("dynamodb").get("status"));
        assertEquals("ok", checks.get("cache").get("status"));
        assertEquals("ok", checks.get("queue").get("status"));
        assertEquals(health.data().keySet(), api.get("/api/v1/users/health").data().keySet());
    }

    @Test
    void theServiceKeepsAnsweringWithRedisStopped() {
        running.service().stopRedis();
        try {
            String email = uniqueEmail("user");
            Map<String, Object> registered = register(email);
            String access = (String) registered.get("access_token");
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access)).status());
            assertEquals(200, api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status());

            Api.Response health = api.get("/health");
            assertEquals(200, health.status(), health.text());
            assertEquals("degraded", health.data().get("status"));
        } finally {
            running.service().startRedis();
        }
    }

    private static Map<String, Object> register(String email) {
        return accounts.registerGrant(registration(email));
    }

    /** The shared registration body, with preferences: registration stores them with the account. */
    private static Map<String, Object> registration(String email) {
        Map<String, Object> body = Accounts.registration(email);
        body.put("preferences", Map.of("push", false, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00"));
        return body;
    }

    private static long registeredEventsFor(String email) {
        return events.receivedOfType("user.registered").stream()
                .filter(event -> email.equals(((Map<?, ?>) event.get("data")).get("email")))
                .count();
    }
}

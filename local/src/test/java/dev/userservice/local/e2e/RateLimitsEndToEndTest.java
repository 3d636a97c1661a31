package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.registration;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API.md's limits on the real parts: counted in Redis, still enforced in DynamoDB while Redis is down, keyed on the
 * address API Gateway saw, answered with 429 and Retry-After, and forgotten when their window ends.
 */
class RateLimitsEndToEndTest {
    /**
     * The defaults (register 5/1h per IP and per mailbox, login 50/5m per IP), with short windows where the test
     * waits one out.
     */
    @RegisterExtension
    static final RunningService running = RunningService.start(Map.of(
            "BCRYPT_COST", "6",
            "RATE_LIMITS", "login_email=3/6s,refresh=2/1h,idempotency_ip=2/1h"));
    private static final Api api = running.api();

    @Test
    void theSixthRegistrationFromOneAddressWithinTheHourIsRefusedWithRedisUpAndDown() {
        assertSixthRegistrationRefused();

        running.service().stopRedis();
        try {
            // The table's counters take over, so the limit holds while the cache is down.
            assertSixthRegistrationRefused();
        } finally {
            running.service().startRedis();
        }
    }

    @Test
    void aBurstOfFailedLoginsDecaysSoTheOwnerCanSignInAgain() throws InterruptedException {
        String email = register();
        // Windows are fixed (epoch seconds over 6): start the burst as one begins, so it all falls in one window
        // even on a loaded machine.
        long millisIntoWindow = System.currentTimeMillis() % 6000;
        Thread.sleep(6000 - millisIntoWindow + 50);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertEquals("invalid_credentials", login(email, "a wrong guess " + attempt).error());
        }
        Api.Response blocked = login(email, PASSWORD);
        assertEquals(429, blocked.status(), "the limit counts attempts before checking the password");

        Thread.sleep(Long.parseLong(blocked.header("Retry-After")) * 1000 + 200);

        assertEquals(200, login(email, PASSWORD).status(), "the window ended; nobody is locked out for good");
    }

    /**
     * A username has a budget of its own: spent through the name (which search shows), it must not spend the
     * account's email's, or the next sign-in by email would answer 429 exactly when that email is the account's.
     */
    @Test
    void failedSignInsByUsernameTellNothingOfTheAccountsEmail() throws InterruptedException {
        String username = "limits" + UUID.randomUUID().toString().substring(0, 8);
        String email = register(username);
        Thread.sleep(6000 - System.currentTimeMillis() % 6000 + 50); // all in one window, as above
        for (int attempt = 0; attempt < 3; attempt++) {
            assertEquals("invalid_credentials", api.post("/api/v1/auth/login",
                    Map.of("username", username, "password", "a wrong guess " + attempt)).error());
        }
        assertEquals("rate_limited", api.post("/api/v1/auth/login", Map.of("username", username, "password", PASSWORD)).error());

        assertEquals("invalid_credentials", login(email, "a wrong guess").error(), "the email's own budget is untouched");
    }

    /**
     * Each account's user.registered may be answered with a welcome mail: clients all over registering one person's
     * mailbox under tag after tag get the default five accounts an hour for it, and the one refused stores and
     * publishes nothing.
     */
    @Test
    void theSixthAccountForOneMailboxWithinTheHourIsRefusedFromAnyAddress() {
        String mailbox = uniqueEmail("tags");
        List<String> registered = new ArrayList<>();
        for (int tag = 0; tag < 5; tag++) {
            String email = mailbox.replace("@", "+" + tag + "@");
            Map<String, Object> created = registerFrom("198.51.100." + (10 + tag), registration(email));
            assertEquals(201L, created.get("statusCode"), String.valueOf(created));
            registered.add(email);
        }
        int items = running.accounts().itemCount();

        Map<String, Object> sixth = registerFrom("198.51.100.20", registration(mailbox.replace("@", "+another@").toUpperCase()));

        assertEquals(429L, sixth.get("statusCode"), String.valueOf(sixth));
        assertEquals("rate_limited", Json.parseObject((String) sixth.get("body")).get("error"));
        assertTrue(((Map<?, ?>) sixth.get("headers")).containsKey("Retry-After"), String.valueOf(sixth));
        assertEquals(items, running.accounts().itemCount(), "no account, no outbox item");
        running.events().receiveEverythingPublished();
        assertEquals(registered, running.events().receivedOfType("user.registered").stream()
                .map(event -> (String) ((Map<?, ?>) event.get("data")).get("email"))
                .filter(email -> email.startsWith(mailbox.substring(0, mailbox.indexOf('@'))))
                .sorted()
                .toList(), "one welcome each for the five accounts (the queue keeps no order), none for the sixth");
    }

    /** Each keyed request to a public route writes a replay record; a sender's keys are counted before any is written. */
    @Test
    void keyedRequestsToAPublicRouteAreCountedPerClientAddress() {
        for (int request = 0; request < 2; request++) {
            Api.Response refused = api.post("/api/v1/auth/verify-email/confirm", Map.of("token", "not-a-token-" + request),
                    "Idempotency-Key", "key-" + UUID.randomUUID());
            assertEquals("invalid_token", refused.error(), refused.text());
        }
        Api.Response third = api.post("/api/v1/auth/verify-email/confirm", Map.of("token", "not-a-token-2"),
                "Idempotency-Key", "key-" + UUID.randomUUID());

        assertEquals(429, third.status(), third.text());
        assertTrue(third.header("Retry-After") != null);
        assertEquals("invalid_token", api.post("/api/v1/auth/verify-email/confirm", Map.of("token", "not-a-token-3")).error(),
                "without a key the route answers as ever");
    }

    /** An IPv6 client holds a /64: spreading keyed requests over its addresses spreads nothing. */
    @Test
    void keyedRequestsFromOneIpv6SubscribersAddressesShareTheirAllowance() {
        for (int request = 0; request < 2; request++) {
            Map<String, Object> refused = confirmVerificationFrom("2001:db8:42:42::" + (request + 1), "not-a-token-" + request);
            assertEquals("invalid_token", Json.parseObject((String) refused.get("body")).get("error"), String.valueOf(refused));
        }

        Map<String, Object> third = confirmVerificationFrom("2001:db8:42:42:ffff::7", "not-a-token-2");

        assertEquals(429L, third.get("statusCode"), String.valueOf(third));
    }

    @Test
    void refreshingOneSessionTooOftenIsRefused() {
        String refreshToken = (String) api.post("/api/v1/auth/login", Map.of("email", register(), "password", PASSWORD))
                .data().get("refresh_token");
        for (int rotation = 0; rotation < 2; rotation++) {
            Api.Response refreshed = api.post("/api/v1/auth/refresh", Map.of("refresh_token", refreshToken));
            assertEquals(200, refreshed.status(), refreshed.text());
            refreshToken = (String) refreshed.data().get("refresh_token");
        }
        assertEquals("rate_limited", api.post("/api/v1/auth/refresh", Map.of("refresh_token", refreshToken)).error());
    }

    private static void assertSixthRegistrationRefused() {
        // A client cannot spread its attempts over made-up addresses: the key is the address API Gateway saw.
        for (int registration = 0; registration < 5; registration++) {
            Api.Response created = api.post("/api/v1/auth/register", body(), "X-Forwarded-For", "203.0.113." + registration);
            assertEquals(201, created.status(), created.text());
        }
        Api.Response sixth = api.post("/api/v1/auth/register", body(), "X-Forwarded-For", "198.51.100.99");
        assertEquals(429, sixth.status(), sixth.text());
        assertEquals("rate_limited", sixth.error());
        long retryAfter = Long.parseLong(sixth.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);
    }

    private static String register() {
        return register(null);
    }

    /** A new account, with {@code username} when not null; its email. */
    private static String register(String username) {
        // Invoked with an address of its own, so these accounts leave the registration allowance of 127.0.0.1 alone.
        String email = uniqueEmail("limits");
        Map<String, Object> registration = registration(email, "Limits");
        if (username != null) {
            registration.put("username", username);
        }
        Map<String, Object> answer = registerFrom("192.0.2." + (1 + Math.floorMod(email.hashCode(), 250)), registration);
        assertEquals(201L, answer.get("statusCode"), String.valueOf(answer));
        return email;
    }

    /** The function's answer to {@code registration} sent from {@code sourceIp}, which only API Gateway can set. */
    private static Map<String, Object> registerFrom(String sourceIp, Map<String, Object> registration) {
        return postFrom("RegisterFunction", "/api/v1/auth/register", sourceIp, Map.of(), registration);
    }

    /** The function's answer to a keyed confirmation of {@code token} sent from {@code sourceIp}. */
    private static Map<String, Object> confirmVerificationFrom(String sourceIp, String token) {
        return postFrom("ConfirmEmailVerificationFunction", "/api/v1/auth/verify-email/confirm", sourceIp,
                Map.of("idempotency-key", "key-" + UUID.randomUUID()), Map.of("token", token));
    }

    /** {@code function}'s answer to a POST of {@code body} to {@code path} as API Gateway hands it on from {@code sourceIp}. */
    private static Map<String, Object> postFrom(String function, String path, String sourceIp, Map<String, String> headers,
                                                Map<String, Object> body) {
        Map<String, String> allHeaders = new HashMap<>(headers);
        allHeaders.put("content-type", "application/json");
        byte[] event = Json.writeBytes(Map.of(
                "version", "2.0",
                "routeKey", "POST " + path,
                "rawPath", path,
                "headers", allHeaders,
                "requestContext", Map.of("http", Map.of("method", "POST", "path", path, "sourceIp", sourceIp)),
                "body", Json.write(body),
                "isBase64Encoded", false));
        return running.accounts().invoke(function, event);
    }

    private static Map<String, Object> body() {
        return Map.of("email", uniqueEmail("burst"), "password", PASSWORD, "name", "Burst");
    }

    private static Api.Response login(String email, String password) {
        return api.post("/api/v1/auth/login", Map.of("email", email, "password", password));
    }
}

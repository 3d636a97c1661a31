package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.registration;
import static dev.userservice.local.e2e.Accounts.statuses;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.SecureTokens;
import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Changing and resetting passwords and verifying emails over real HTTP through the local runner. The tokens sent by
 * email are taken where the email service takes them: from the events on the {@code user-events} queue.
 */
class PasswordAndVerificationEndToEndTest {
    private static final String NEW_PASSWORD = "quiet harbour lantern morning";
    private static final String RESET_REQUESTED = "user.password_reset_requested";
    private static final String VERIFICATION_REQUESTED = "user.email_verification_requested";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();

    // --- change password -------------------------------------------------------------------------------------

    @Test
    void changingThePasswordEndsOtherSessionsButNotTheCurrentOne() {
        String email = uniqueEmail("passwords");
        Map<String, Object> other = register(email);
        Map<String, Object> current = accounts.loginGrant(email, PASSWORD);

        Api.Response changed = api.post("/api/v1/auth/change-password",
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD), "Authorization", bearer(access(current)));

        assertEquals(200, changed.status(), changed.text());
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(current))).status(), "the caller stays signed in");
        assertEquals(200, api.post("/api/v1/auth/refresh", Map.of("refresh_token", current.get("refresh_token"))).status());
        assertError(api.get("/api/v1/users/me", "Authorization", bearer(access(other))), 401, "unauthorized");
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", other.get("refresh_token"))).error());
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).error());
        accounts.loginGrant(email, NEW_PASSWORD);
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() {
        String email = uniqueEmail("passwords");
        Map<String, Object> other = register(email);
        Map<String, Object> current = accounts.loginGrant(email, PASSWORD);

        Api.Response refused = api.post("/api/v1/auth/change-password",
                Map.of("current_password", "not my password at all", "new_password", NEW_PASSWORD), "Authorization", bearer(access(current)));

        assertError(refused, 401, "invalid_credentials");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(other))).status(), "no session ended");
        accounts.loginGrant(email, PASSWORD);
    }

    @Test
    void badChangePasswordBodiesGet4xxAndChangeNothing() {
        String email = uniqueEmail("passwords");
        Map<String, Object> other = register(email);
        String caller = access(accounts.loginGrant(email, PASSWORD));
        String localPart = email.substring(0, email.indexOf('@'));
        int before = accounts.itemCount();

        assertError(api.postRaw("/api/v1/auth/change-password", "{\"current_password\": ", "Authorization", bearer(caller)), 400, "malformed_json");
        assertError(api.postRaw("/api/v1/auth/change-password", "current_password=x", "Authorization", bearer(caller),
                "Content-Type", "text/plain"), 415, "unsupported_media_type");
        Map<String, Object> massAssignment = new HashMap<>(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD));
        massAssignment.put("password_hash", "$2b$04$abcdefghijklmnopqrstuv");
        massAssignment.put("role", "admin");
        Api.Response unknown = api.post("/api/v1/auth/change-password", massAssignment, "Authorization", bearer(caller));
        assertError(unknown, 400, "validation_failed");
        assertTrue(detailFields(unknown).containsAll(List.of("password_hash", "role")), unknown.text());
        assertEquals(List.of("new_password"), detailFields(api.post("/api/v1/auth/change-password",
                Map.of("current_password", PASSWORD), "Authorization", bearer(caller))));
        assertEquals(List.of("current_password"), detailFields(api.post("/api/v1/auth/change-password",
                Map.of("current_password", 12345678, "new_password", NEW_PASSWORD), "Authorization", bearer(caller))));
        assertEquals(List.of("new_password"), detailFields(api.post("/api/v1/auth/change-password",
                Map.of("current_password", PASSWORD, "new_password", "password123"), "Authorization", bearer(caller))), "common");
        assertEquals(List.of("new_password"), detailFields(api.post("/api/v1/auth/change-password",
                Map.of("current_password", PASSWORD, "new_password", localPart + " and more"), "Authorization", bearer(caller))), "email");
        assertEquals(List.of("new_password"), detailFields(api.post("/api/v1/auth/change-password",
                Map.of("current_password", PASSWORD, "new_password", "x".repeat(257)), "Authorization", bearer(caller))), "too long");
        assertError(api.post("/api/v1/auth/change-password", Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD)),
                401, "unauthorized");

        assertEquals(before, accounts.itemCount(), "nothing was stored");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(other))).status(), "no session ended");
        accounts.loginGrant(email, PASSWORD);
    }

    // --- password reset -------------------------------------------------------------------------------------

    @Test
    void aResetTokenFromTheEmailEventResetsThePasswordAndEndsEverySession() {
        String email = uniqueEmail("passwords");
        Map<String, Object> registered = register(email);
        Map<String, Object> other = accounts.loginGrant(email, PASSWORD);
        String userId = userId(registered);

        Api.Response requested = api.post("/api/v1/auth/password-reset/request", Map.of("email", email.toUpperCase()));

        assertEquals(202, requested.status(), requested.text());
        Map<String, Object> event = events.await(RESET_REQUESTED, userId);
        Map<String, Object> data = data(event);
        assertEquals(email, data.get("email"));
        assertEquals("Pat Passwords", data.get("name"));
        Instant expiresAt = Instant.parse((String) data.get("expires_at"));
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(55))) && expiresAt.isBefore(Instant.now().plus(Duration.ofMinutes(61))),
                "valid for an hour: " + expiresAt);
        String token = (String) data.get("token");
        assertFalse(tokenItem("PASSWORD_RESET", token).toString().contains(token), "only the hash is stored");

        Api.Response confirmed = api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD));

        assertEquals(200, confirmed.status(), confirmed.text());
        for (Map<String, Object> grant : List.of(registered, other)) {
            assertError(api.get("/api/v1/users/me", "Authorization", bearer(access(grant))), 401, "unauthorized");
            Api.Response oldRefresh = api.post("/api/v1/auth/refresh", Map.of("refresh_token", grant.get("refresh_token")));
            assertError(oldRefresh, 401, "invalid_token");
        }
        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).error());
        Map<String, Object> afterReset = accounts.loginGrant(email, NEW_PASSWORD);
        assertEquals(true, api.get("/api/v1/users/me", "Authorization", bearer(access(afterReset))).data().get("email_verified"),
                "the reset token reached the mailbox");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", "yet another passphrase")),
                401, "invalid_token");
        accounts.loginGrant(email, NEW_PASSWORD);
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndNothingIsStoredOrPublished() {
        String known = uniqueEmail("passwords");
        String knownUser = userId(register(known));
        String unknown = uniqueEmail("passwords");
        int before = accounts.itemCount();

        Api.Response forUnknown = api.post("/api/v1/auth/password-reset/request", Map.of("email", unknown));

        assertEquals(before, accounts.itemCount(), "no token, no outbox item");
        Api.Response forKnown = api.post("/api/v1/auth/password-reset/request", Map.of("email", known));
        assertEquals(202, forUnknown.status(), forUnknown.text());
        assertEquals(forKnown.status(), forUnknown.status());
        assertEquals(forKnown.body(), forUnknown.body());
        events.await(RESET_REQUESTED, knownUser);
        events.receiveEverythingPublished();
        assertTrue(events.receivedOfType(RESET_REQUESTED).stream().noneMatch(event -> unknown.equals(data(event).get("email"))),
                "nothing is published for an unknown email");
    }

    @Test
    void publishedTokenMailsLeaveNoReadableTokenInTheTable() throws InterruptedException {
        String email = uniqueEmail("passwords");
        Map<String, Object> grant = register(email);
        assertEquals(202, api.post("/api/v1/auth/password-reset/request", Map.of("email", email)).status());
        assertEquals(202, api.post("/api/v1/auth/verify-email/request", Map.of(), "Authorization", bearer(access(grant))).status());

        for (String type : List.of(RESET_REQUESTED, VERIFICATION_REQUESTED)) {
            Map<String, Object> mailed = events.await(type, userId(grant));
            String token = (String) data(mailed).get("token");
            assertNotNull(token, "the message itself carries the token, for the email service");

            Map<String, Object> kept = Json.parseObject(outboxEventOnceTokenForgotten(userId(grant), (String) mailed.get("event_id"), token));

            Map<String, Object> expected = new HashMap<>(data(mailed));
            expected.remove("token");
            expected.put("token_forgotten", true);
            assertEquals(expected, data(kept), "the item keeps all but the token");
        }
    }

    @Test
    void twoConcurrentConfirmsOfOneTokenSucceedOnce() throws Exception {
        String email = uniqueEmail("passwords");
        String token = resetToken(email, userId(register(email)));
        List<Callable<Api.Response>> attempts = new ArrayList<>();
        for (String password : List.of(NEW_PASSWORD, "a different new passphrase")) {
            attempts.add(() -> api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", password)));
        }

        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (Future<Api.Response> response : pool.invokeAll(attempts)) {
                responses.add(response.get());
            }
        }

        assertEquals(1, responses.stream().filter(response -> response.status() == 200).count(), statuses(responses));
        assertEquals(1, responses.stream().filter(response -> "invalid_token".equals(response.error())).count(), statuses(responses));
    }

    @Test
    void anExpiredResetTokenIsRefusedAndChangesNothing() {
        String email = uniqueEmail("passwords");
        String token = resetToken(email, userId(register(email)));
        expire("PASSWORD_RESET", token);

        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD)), 401, "invalid_token");
        accounts.loginGrant(email, PASSWORD);
    }

    @Test
    void badResetBodiesGet4xxAndLeaveTheTokenUsable() {
        String email = uniqueEmail("passwords");
        String token = resetToken(email, userId(register(email)));
        int before = accounts.itemCount();

        assertError(api.postRaw("/api/v1/auth/password-reset/request", "{\"email\""), 400, "malformed_json");
        assertError(api.post("/api/v1/auth/password-reset/request", Map.of("email", "not an email")), 400, "validation_failed");
        assertError(api.post("/api/v1/auth/password-reset/request", Map.of("email", email, "user_id", UUID.randomUUID().toString())),
                400, "validation_failed");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token)), 400, "validation_failed");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", List.of(token), "new_password", NEW_PASSWORD)),
                400, "validation_failed");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", "x".repeat(5000), "new_password", NEW_PASSWORD)),
                400, "validation_failed");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD, "email", email)),
                400, "validation_failed");
        assertEquals(List.of("new_password"), detailFields(api.post("/api/v1/auth/password-reset/confirm",
                Map.of("token", token, "new_password", "password123"))), "the policy applies");
        assertError(api.post("/api/v1/auth/password-reset/confirm", Map.of("token", SecureTokens.newToken(), "new_password", NEW_PASSWORD)),
                401, "invalid_token");
        assertEquals(before, accounts.itemCount(), "nothing was stored or used up");

        assertEquals(200, api.post("/api/v1/auth/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD)).status());
        accounts.loginGrant(email, NEW_PASSWORD);
    }

    @Test
    void resetRequestsAreLimitedPerEmailWhetherOrNotItIsRegistered() {
        try (RunningService limited = withHourlyLimit("password_reset", 3)) {
            Api limitedApi = limited.api();
            String known = uniqueEmail("passwords");
            limited.accounts().registerGrant(registration(known, "Pat Passwords"));
            for (String email : List.of(known, uniqueEmail("passwords"))) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(202, limitedApi.post("/api/v1/auth/password-reset/request", Map.of("email", email)).status());
                }
                Api.Response limitedResponse = limitedApi.post("/api/v1/auth/password-reset/request", Map.of("email", email.toUpperCase()));
                assertError(limitedResponse, 429, "rate_limited");
                assertTrue(Long.parseLong(limitedResponse.header("Retry-After")) > 0, limitedResponse.text());
            }
        }
    }

    @Test
    void resetRequestsAreLimitedPerClientIpAcrossEmails() {
        try (RunningService limited = withHourlyLimit("password_reset_ip", 2)) {
            Api limitedApi = limited.api();
            for (int i = 0; i < 2; i++) {
                assertEquals(202, limitedApi.post("/api/v1/auth/password-reset/request", Map.of("email", uniqueEmail("passwords"))).status());
            }

            assertError(limitedApi.post("/api/v1/auth/password-reset/request", Map.of("email", uniqueEmail("passwords"))), 429, "rate_limited");
        }
    }

    /** A service of its own whose hourly limit {@code name} (one of the test environment's) is {@code count}. */
    private static RunningService withHourlyLimit(String name, int count) {
        Map<String, String> environment = new HashMap<>(TestEnvironment.FAST);
        environment.put("RATE_LIMITS", TestEnvironment.FAST.get("RATE_LIMITS").replace(name + "=100000/1h", name + "=" + count + "/1h"));
        return RunningService.start(environment);
    }

    // --- email verification ---------------------------------------------------------------------------------

    @Test
    void aVerificationTokenFromTheEmailEventVerifiesTheEmailOnce() {
        String email = uniqueEmail("passwords");
        Map<String, Object> grant = register(email);
        String userId = userId(grant);
        assertEquals(false, api.get("/api/v1/users/me", "Authorization", bearer(access(grant))).data().get("email_verified"),
                "read once, so the view is cached");

        Api.Response requested = api.post("/api/v1/auth/verify-email/request", Map.of(), "Authorization", bearer(access(grant)));

        assertEquals(202, requested.status(), requested.text());
        Map<String, Object> data = data(events.await(VERIFICATION_REQUESTED, userId));
        assertEquals(email, data.get("email"));
        Instant expiresAt = Instant.parse((String) data.get("expires_at"));
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofHours(23))), "valid for a day: " + expiresAt);
        String token = (String) data.get("token");

        Api.Response confirmed = api.post("/api/v1/auth/verify-email/confirm", Map.of("token", token));

        assertEquals(200, confirmed.status(), confirmed.text());
        assertEquals(true, api.get("/api/v1/users/me", "Authorization", bearer(access(grant))).data().get("email_verified"),
                "the cached view was forgotten");
        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", token)), 401, "invalid_token");

        int before = accounts.itemCount();
        Api.Response again = api.send("POST", "/api/v1/auth/verify-email/request", null, "Authorization", bearer(access(grant)));
        assertEquals(200, again.status(), again.text());
        assertEquals("Email is already verified", again.body().get("message"));
        assertEquals(before, accounts.itemCount(), "no token and no event for a verified email");
    }

    @Test
    void aVerificationTokenForAnEmailTheAccountNoLongerHasIsRefused() {
        String email = uniqueEmail("passwords");
        Map<String, Object> grant = register(email);
        String token = verificationToken(grant);
        // The email changes after the mail went out; written directly, as the profile route would store it.
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + userId(grant)), "sk", AttributeValue.fromS("PROFILE")))
                .updateExpression("SET email = :email")
                .expressionAttributeValues(Map.of(":email", AttributeValue.fromS(uniqueEmail("passwords")))));

        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", token)), 401, "invalid_token");
        assertEquals(false, api.get("/api/v1/users/me", "Authorization", bearer(access(grant))).data().get("email_verified"));
    }

    @Test
    void expiredOrMalformedVerificationTokensAreRefusedAndChangeNothing() {
        Map<String, Object> grant = register(uniqueEmail("passwords"));
        String token = verificationToken(grant);
        int before = accounts.itemCount();

        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of()), 400, "validation_failed");
        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", 42)), 400, "validation_failed");
        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", token, "email_verified", true)), 400, "validation_failed");
        assertError(api.postRaw("/api/v1/auth/verify-email/confirm", "[\"" + token + "\"]"), 400, "malformed_json");
        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", SecureTokens.newToken())), 401, "invalid_token");
        assertError(api.post("/api/v1/auth/verify-email/request", Map.of("email", "other@example.com"), "Authorization", bearer(access(grant))),
                400, "validation_failed");
        assertError(api.post("/api/v1/auth/verify-email/request", Map.of()), 401, "unauthorized");
        assertEquals(before, accounts.itemCount(), "nothing was stored or used up");

        expire("EMAIL_VERIFICATION", token);
        assertError(api.post("/api/v1/auth/verify-email/confirm", Map.of("token", token)), 401, "invalid_token");
        assertEquals(false, api.get("/api/v1/users/me", "Authorization", bearer(access(grant))).data().get("email_verified"));
    }

    // --- sample events ---------------------------------------------------------------------------------------

    /** The samples in events/ work as users run them, in a client's order, with only the placeholders filled in. */
    @Test
    void theSampleEventsOfTheseRoutesAreAnsweredByTheirFunctions() {
        Map<String, Object> registered = invokeSample("RegisterFunction", "register.json", Map.of());
        assertEquals(201L, registered.get("statusCode"), String.valueOf(registered));
        Map<String, Object> grant = sampleData(registered);
        Map<String, String> access = Map.of("<ACCESS_TOKEN>", access(grant));

        assertEquals(200L, invokeSample("ListSessionsFunction", "list-sessions.json", access).get("statusCode"));
        assertEquals(404L, invokeSample("RevokeSessionFunction", "revoke-session.json", access).get("statusCode"),
                "the sample's session id is nobody's");
        assertEquals(202L, invokeSample("RequestEmailVerificationFunction", "request-email-verification.json", access).get("statusCode"));
        String verification = (String) data(events.await(VERIFICATION_REQUESTED, userId(grant))).get("token");
        assertEquals(200L, invokeSample("ConfirmEmailVerificationFunction", "confirm-email-verification.json",
                Map.of("<VERIFICATION_TOKEN>", verification)).get("statusCode"));
        assertEquals(200L, invokeSample("ChangePasswordFunction", "change-password.json", access).get("statusCode"));
        assertEquals(200L, invokeSample("LogoutAllFunction", "logout-all.json", access).get("statusCode"));
        assertEquals(202L, invokeSample("RequestPasswordResetFunction", "request-password-reset.json", Map.of()).get("statusCode"));
        String reset = (String) data(events.await(RESET_REQUESTED, userId(grant))).get("token");
        assertEquals(200L, invokeSample("ConfirmPasswordResetFunction", "confirm-password-reset.json",
                Map.of("<RESET_TOKEN>", reset)).get("statusCode"));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    /** Requests a reset and takes the token from the published event, as the email service would. */
    private static String resetToken(String email, String userId) {
        assertEquals(202, api.post("/api/v1/auth/password-reset/request", Map.of("email", email)).status());
        return (String) data(events.await(RESET_REQUESTED, userId)).get("token");
    }

    private static String verificationToken(Map<String, Object> grant) {
        Api.Response requested = api.post("/api/v1/auth/verify-email/request", Map.of(), "Authorization", bearer(access(grant)));
        assertEquals(202, requested.status(), requested.text());
        return (String) data(events.await(VERIFICATION_REQUESTED, userId(grant))).get("token");
    }

    /** The outbox item's event once the publisher has taken the token out; fails if it still holds it after 10 s. */
    private static String outboxEventOnceTokenForgotten(String userId, String eventId, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            String event = running.dynamo().getItem(request -> request.tableName(running.table()).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("OUTBOX#" + userId), "sk", AttributeValue.fromS("EVENT#" + eventId))))
                    .item().get("event").s();
            if (!event.contains(token)) {
                return event;
            }
            assertTrue(System.nanoTime() < deadline, "the published token is still readable in its outbox item");
            Thread.sleep(50);
        }
    }

    private static Map<String, AttributeValue> tokenKey(String purpose, String token) {
        return Map.of("pk", AttributeValue.fromS("TOKEN#" + purpose + "#" + SecureTokens.hash(token)), "sk", AttributeValue.fromS("TOKEN"));
    }

    private static Map<String, AttributeValue> tokenItem(String purpose, String token) {
        Map<String, AttributeValue> item = running.dynamo().getItem(request -> request.tableName(running.table())
                .key(tokenKey(purpose, token)).consistentRead(true)).item();
        assertNotNull(item);
        assertFalse(item.isEmpty(), "the token is stored under its hash");
        return item;
    }

    /** Moves the token's expiry into the past, as an hour (or a day) going by would, without waiting for it. */
    private static void expire(String purpose, String token) {
        tokenItem(purpose, token);
        Instant past = Instant.now().minusSeconds(60);
        running.dynamo().updateItem(request -> request.tableName(running.table()).key(tokenKey(purpose, token))
                .updateExpression("SET expires_at = :epoch, valid_until = :until")
                .expressionAttributeValues(Map.of(
                        ":epoch", AttributeValue.fromN(Long.toString(past.getEpochSecond())),
                        ":until", AttributeValue.fromS(past.toString()))));
    }

    private static Map<String, Object> invokeSample(String function, String sample, Map<String, String> placeholders) {
        String event;
        try {
            event = Files.readString(LocalOptions.defaults().template().getParent().resolve("events").resolve(sample));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            event = event.replace(placeholder.getKey(), placeholder.getValue());
        }
        return accounts.invoke(function, event.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sampleData(Map<String, Object> answer) {
        return (Map<String, Object>) Json.parseObject((String) answer.get("body")).get("data");
    }

    /** Registers as Pat Passwords, the name the emails of these tests greet. */
    private static Map<String, Object> register(String email) {
        return accounts.registerGrant(registration(email, "Pat Passwords"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }
}

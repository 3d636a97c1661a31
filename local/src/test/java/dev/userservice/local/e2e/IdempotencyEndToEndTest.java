package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.registration;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Idempotency-Key} under attack: a replayed answer never hands out credentials, never stands in for the
 * service's current state, and a key a stranger sends to a public route never meets its owner's request. The
 * decision per route is the table in docs/api.md, "Idempotency".
 */
class IdempotencyEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void retiredRefreshTokenSentAgainWithItsFirstKeyIsReuseAndRevokesTheFamily() {
        Map<String, Object> grant = accounts.registerGrant(uniqueEmail("idem"));
        String key = newKey();
        Map<String, Object> retired = Map.of("refresh_token", grant.get("refresh_token"));
        Api.Response rotated = api.post("/api/v1/auth/refresh", retired, "Idempotency-Key", key);
        assertEquals(200, rotated.status(), rotated.text());

        Api.Response again = api.post("/api/v1/auth/refresh", retired, "Idempotency-Key", key);

        assertError(again, 401, "invalid_token");
        assertNull(again.header("Idempotent-Replayed"));
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", rotated.data().get("refresh_token"))).error(),
                "the whole family is revoked, the newest token too");
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(access(rotated.data()))).status());
    }

    @Test
    void introspectionWithAKeyUsedBeforeAnswersForTheTokenAsItIsNow() {
        String service = running.serviceToken();
        String user = access(accounts.registerGrant(uniqueEmail("idem")));
        String key = newKey();
        Api.Response live = api.post("/api/v1/auth/introspect", Map.of("token", user), "Authorization", bearer(service), "Idempotency-Key", key);
        assertEquals(true, live.data().get("active"), live.text());

        api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(user));
        Api.Response revoked = api.post("/api/v1/auth/introspect", Map.of("token", user), "Authorization", bearer(service), "Idempotency-Key", key);

        assertEquals(Map.of("active", false), revoked.data(), revoked.text());
        assertNull(revoked.header("Idempotent-Replayed"));
    }

    @Test
    void logoutAllWithAKeyUsedBeforeStillEndsTheSessionsStartedSince() {
        String email = uniqueEmail("idem");
        String first = access(accounts.registerGrant(email));
        String key = newKey();
        assertEquals(200, api.post("/api/v1/auth/logout-all", Map.of(), "Authorization", bearer(first), "Idempotency-Key", key).status());
        String later = access(accounts.loginGrant(email, PASSWORD));
        String laterStill = access(accounts.loginGrant(email, PASSWORD));

        Api.Response again = api.post("/api/v1/auth/logout-all", Map.of(), "Authorization", bearer(later), "Idempotency-Key", key);

        assertEquals(200, again.status(), again.text());
        assertNull(again.header("Idempotent-Replayed"));
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(later)).status());
        assertEquals(401, api.get("/api/v1/users/me", "Authorization", bearer(laterStill)).status());
    }

    @Test
    void strangersKeyOnLoginNeitherBlocksTheOwnerNorHandsTheStrangerTheOwnersTokens() {
        String email = uniqueEmail("idem");
        accounts.registerGrant(email);
        String guessed = newKey();
        Api.Response stranger = api.post("/api/v1/auth/login", Map.of("email", email, "password", "a guess that is wrong"),
                "Idempotency-Key", guessed);
        assertError(stranger, 401, "invalid_credentials");

        Api.Response owner = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD), "Idempotency-Key", guessed);
        Api.Response ownersRetry = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD), "Idempotency-Key", guessed);

        assertEquals(200, owner.status(), owner.text());
        assertEquals(200, ownersRetry.status(), ownersRetry.text());
        assertNull(ownersRetry.header("Idempotent-Replayed"), "a sign-in is never answered from a stored record");
        assertNotEquals(owner.data().get("refresh_token"), ownersRetry.data().get("refresh_token"));
    }

    @Test
    void strangersKeyOnRegistrationDoesNotBlockTheOwner() {
        String guessed = newKey();
        Api.Response stranger = api.post("/api/v1/auth/register", registration(uniqueEmail("stranger")), "Idempotency-Key", guessed);
        assertEquals(201, stranger.status(), stranger.text());

        Api.Response owner = api.post("/api/v1/auth/register", registration(uniqueEmail("owner")), "Idempotency-Key", guessed);

        assertEquals(201, owner.status(), owner.text());
        assertNull(owner.header("Idempotent-Replayed"));
        assertNotEquals(stranger.data().get("user"), owner.data().get("user"));
    }

    @Test
    void serviceTokenGrantIsNeverAnsweredFromAStoredRecord() {
        String key = newKey();

        Api.Response first = api.post("/api/v1/auth/token", clientCredentials(), "Idempotency-Key", key);
        Api.Response retry = api.post("/api/v1/auth/token", clientCredentials(), "Idempotency-Key", key);

        assertEquals(200, retry.status(), retry.text());
        assertNull(retry.header("Idempotent-Replayed"));
        assertNotEquals(first.data().get("access_token"), retry.data().get("access_token"));
    }

    @Test
    void retriedPasswordChangeIsReplayedToItsOwnSessionOnly() {
        String email = uniqueEmail("idem");
        String caller = access(accounts.registerGrant(email));
        Map<String, Object> change = Map.of("current_password", PASSWORD, "new_password", "a brand new passphrase");
        String key = newKey();
        assertEquals(200, api.post("/api/v1/auth/change-password", change, "Authorization", bearer(caller), "Idempotency-Key", key).status());

        Api.Response retry = api.post("/api/v1/auth/change-password", change, "Authorization", bearer(caller), "Idempotency-Key", key);

        assertEquals(200, retry.status(), "run again, it would be a wrong current password: " + retry.text());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        String otherSession = access(accounts.loginGrant(email, "a brand new passphrase"));
        Api.Response fromAnotherSession = api.post("/api/v1/auth/change-password", change, "Authorization", bearer(otherSession),
                "Idempotency-Key", key);
        assertError(fromAnotherSession, 401, "invalid_credentials");
        assertFalse("true".equals(fromAnotherSession.header("Idempotent-Replayed")));
    }

    /** An admin's invitation retried after its answer was lost: the account it made, not a 409, and one invitation mailed. */
    @Test
    void retriedAccountCreationIsReplayed() {
        Accounts.Account admin = accounts.admin();
        String email = uniqueEmail("invited");
        String key = newKey();
        Api.Response created = api.post("/api/v1/admin/users", Map.of("email", email, "name", "Invited"),
                "Authorization", admin.authorization(), "Idempotency-Key", key);
        assertEquals(201, created.status(), created.text());

        Api.Response retry = api.post("/api/v1/admin/users", Map.of("email", email, "name", "Invited"),
                "Authorization", admin.authorization(), "Idempotency-Key", key);

        assertEquals(201, retry.status(), retry.text());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(created.data().get("id"), retry.data().get("id"));
        running.events().receiveEverythingPublished();
        assertEquals(1, running.events().receivedFor((String) created.data().get("id")).stream()
                .filter(event -> "user.invited".equals(event.get("type"))).count(), "one invitation mailed");
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static Map<String, Object> clientCredentials() {
        return Map.of("grant_type", "client_credentials", "client_id", running.service().serviceClient().get("client_id"),
                "client_secret", running.service().serviceClient().get("client_secret"));
    }
}

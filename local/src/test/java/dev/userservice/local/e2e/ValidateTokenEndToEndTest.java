package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.e2e.Accounts.Account;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/auth/validate-token} (and the earlier {@code /api/v1/users/validate-token/}): the caller learns
 * whether the bearer token it sends is active, and whose it is. A bad token is an answer ({@code active: false}),
 * not an error; only a request without any token is refused.
 */
class ValidateTokenEndToEndTest {
    private static final String CANONICAL = "/api/v1/auth/validate-token";
    private static final String EARLIER = "/api/v1/users/validate-token/";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest
    @ValueSource(strings = {CANONICAL, EARLIER})
    void anActiveUsersTokenAnswersItsSubjectRolesAndExpiry(String path) {
        Account alice = accounts.register(uniqueEmail("validate"));

        Api.Response response = client.get(path, alice.accessToken());
        Map<String, Object> validated = assertSuccess(response, 200);

        assertEquals(true, validated.get("active"));
        assertEquals(alice.id(), validated.get("sub"));
        assertEquals(List.of("user"), validated.get("roles"));
        long expiresAt = ((Number) validated.get("exp")).longValue();
        long now = Instant.now().getEpochSecond();
        assertTrue(expiresAt > now && expiresAt <= now + 15 * 60 + 5, "a 15-minute access token: " + validated);
        assertEquals("no-store", response.header("Cache-Control"));
    }

    @ParameterizedTest
    @ValueSource(strings = {CANONICAL, EARLIER})
    void aServiceTokenIsActiveWithTheServiceRole(String path) {
        Map<String, Object> validated = assertSuccess(client.get(path, running.serviceToken()), 200);

        assertEquals(true, validated.get("active"));
        assertEquals(List.of("service"), validated.get("roles"));
    }

    @Test
    void aGarbledForgedOrSignedOutTokenIsInactiveAndSaysNothingMore() {
        Account alice = accounts.register(uniqueEmail("validate"));
        String token = alice.accessToken();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + new StringBuilder(token.substring(token.lastIndexOf('.') + 1)).reverse();
        assertEquals(Map.of("active", false), assertSuccess(client.get(CANONICAL, "not-a-token"), 200));
        assertEquals(Map.of("active", false), assertSuccess(client.get(CANONICAL, forged), 200));
        assertEquals(Map.of("active", false), assertSuccess(client.get(CANONICAL, alice.refreshToken()), 200), "a refresh token is no access token");

        assertSuccess(client.send("POST", "/api/v1/auth/logout", null, token), 200);

        assertEquals(Map.of("active", false), assertSuccess(client.get(CANONICAL, token), 200), "the session ended");
    }

    /**
     * The earlier service's route sat behind its token check, so its callers took any 2xx for a valid token: there a
     * bad token is refused, or a caller checking only the status would let a forged or revoked token through.
     */
    @Test
    void onTheEarlierPathAGarbledForgedOrSignedOutTokenIsUnauthorized() {
        Account alice = accounts.register(uniqueEmail("validate-earlier"));
        String token = alice.accessToken();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + new StringBuilder(token.substring(token.lastIndexOf('.') + 1)).reverse();
        assertError(client.get(EARLIER, "not-a-token"), 401, "unauthorized");
        assertError(client.get(EARLIER, forged), 401, "unauthorized");
        assertError(client.get(EARLIER, alice.refreshToken()), 401, "unauthorized");

        assertSuccess(client.send("POST", "/api/v1/auth/logout", null, token), 200);

        assertError(client.get(EARLIER, token), 401, "unauthorized");
    }

    @ParameterizedTest
    @ValueSource(strings = {CANONICAL, EARLIER})
    void withoutABearerTokenItIsUnauthorized(String path) {
        assertError(api.get(path), 401, "unauthorized");
        assertError(api.get(path, "Authorization", "Basic dXNlcjpwYXNz"), 401, "unauthorized");
    }

    @Test
    void itIsAReadAndOtherMethodsAreNotAllowed() {
        Api.Response post = api.toDefaultRoute().post(CANONICAL, Map.of("token", "x"));
        assertError(post, 405, "method_not_allowed");
        assertEquals("GET", post.header("Allow"));
    }
}

package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.EarlierClients.assertListed;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static dev.userservice.local.e2e.EarlierClients.assertUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.e2e.Accounts.Account;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client of the earlier Django user management service (Simple JWT, sessions, inter-service lookups) replays its
 * documented endpoints at its paths under {@code /api/v1/users/}, with and without the trailing slash. Its students,
 * staff and admin-HOD collections are views of the admin's user list, tested with the account types in
 * {@link AccountTypesEndToEndTest}.
 */
class DjangoUserManagementClientEndToEndTest {
    private static final String USERS = "/api/v1/users";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void authenticationAtTheEarlierPaths(String slash) {
        Map<String, Object> registered = client.simpleJwtCycle(uniqueEmail("django-mgmt"), slash);

        List<?> history = assertListed(client.get(USERS + "/sessions" + slash, access(registered)));
        assertEquals(1, history.stream().filter(session -> ((Map<?, ?>) session).get("ended_at") == null).count(),
                "the session signed out has ended: " + history);
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void theProfileIsReadAndPatchedAtTheEarlierPath(String slash) {
        Account alice = accounts.register(uniqueEmail("django-mgmt"));

        assertUser(assertSuccess(client.get(USERS + "/profile" + slash, alice.accessToken()), 200), alice.id(), alice.email());
        Map<String, Object> patched = assertSuccess(client.send("PATCH", USERS + "/profile" + slash,
                Map.of("attributes", Map.of("student_number", "S-1024")), alice.accessToken()), 200);

        assertEquals(Map.of("student_number", "S-1024"), patched.get("attributes"));
        assertEquals("Alice Example", patched.get("name"), "a PATCH changes only what it names");
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void changePasswordAndSessionHistoryAtTheEarlierPaths(String slash) {
        String email = uniqueEmail("django-mgmt");
        Account alice = accounts.register(email);
        Account laptop = accounts.login(email);

        Api.Response sessions = client.get(USERS + "/sessions" + slash, laptop.accessToken());
        assertEquals(2, assertListed(sessions).size(), sessions.text());

        assertSuccess(client.send("POST", USERS + "/change-password" + slash,
                Map.of("old_password", PASSWORD, "new_password", "quiet harbour lantern morning", "confirm_password", "quiet harbour lantern morning"), laptop.accessToken()), 200);

        // The session history lists the ended session too, as there; the service's own listing, the live ones.
        List<?> history = assertListed(client.get(USERS + "/sessions" + slash, laptop.accessToken()));
        assertEquals(List.of("password_changed"), history.stream().map(session -> ((Map<?, ?>) session).get("end_reason"))
                .filter(reason -> reason != null).toList(), String.valueOf(history));
        assertEquals(1, assertListed(client.get("/api/v1/auth/sessions", laptop.accessToken())).size());
        assertError(client.get(USERS + "/sessions" + slash, alice.accessToken()), 401, "unauthorized");
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void interServiceLookupsAtTheEarlierPaths(String slash) {
        Account alice = accounts.register(uniqueEmail("django-mgmt"));
        String serviceToken = running.serviceToken();

        assertUser(assertSuccess(client.get(USERS + "/user/" + alice.id() + slash, serviceToken), 200), alice.id(), alice.email());
        assertUser(assertSuccess(client.get(USERS + "/user/" + alice.id() + slash, alice.accessToken()), 200), alice.id(), alice.email());

        Map<String, Object> validated = assertSuccess(client.get(USERS + "/validate-token" + slash, alice.accessToken()), 200);
        assertEquals(true, validated.get("active"));
        assertEquals(alice.id(), validated.get("sub"));

        Map<String, Object> health = assertSuccess(api.get(USERS + "/health" + slash), 200);
        assertTrue(List.of("ok", "degraded").contains(health.get("status")), health.toString());
    }
}

package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.EarlierClients.assertSignedIn;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static dev.userservice.local.e2e.EarlierClients.assertUser;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client of the earlier FastAPI user service ({@code /api/v1/auth} and {@code /api/v1/users/me}) replays its
 * documented requests at its paths, with and without a trailing slash: sign-up, sign-in, who am I, the extended
 * profile, the profile update, and the hyphenated password-reset and email-verification paths, with the tokens taken from the events the
 * email service reads.
 */
class FastApiUserServiceClientEndToEndTest {
    private static final String AUTH = "/api/v1/auth";
    private static final String EARLIER_PASSWORD = "SecurePass123";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final PublishedEvents events = running.events();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"", "/"})
    void registerSignInReadAndUpdateTheProfile(String slash) {
        String email = uniqueEmail("fastapi-users");
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("email", email);
        registration.put("username", "user_" + UUID.randomUUID().toString().substring(0, 8));
        registration.put("full_name", "Test User");
        registration.put("password", EARLIER_PASSWORD);
        registration.put("confirm_password", EARLIER_PASSWORD);

        String id = userId(assertSignedIn(api.post(AUTH + "/register" + slash, registration), 201, email));
        Map<String, Object> login = assertSignedIn(
                api.post(AUTH + "/login" + slash, Map.of("email", email, "password", EARLIER_PASSWORD)), 200, email);
        String token = access(login);

        assertUser(assertSuccess(client.get(AUTH + "/me" + slash, token), 200), id, email);
        // The extended profile is a resource of its own here, as it was there; current_title is read as title.
        Map<String, Object> extended = assertSuccess(client.send("PUT", "/api/v1/users/me/profile" + slash,
                Map.of("current_title", "Software Engineer", "location", "San Francisco, CA"), token), 200);
        assertEquals(id, extended.get("user_id"));
        Map<String, Object> profile = assertSuccess(client.get("/api/v1/users/me/profile" + slash, token), 200);
        assertEquals(List.of("Test User", "Software Engineer", "San Francisco, CA"),
                List.of(profile.get("name"), profile.get("title"), profile.get("location")));

        // The documented update, as it is written there: a partial body whose job fields are the extended profile's.
        Map<String, Object> updated = assertSuccess(client.send("PUT", "/api/v1/users/me" + slash,
                Map.of("full_name", "Updated Name", "current_title", "Staff Engineer", "location", "Lagos"), token), 200);
        assertEquals(List.of("Updated Name", registration.get("username")), List.of(updated.get("name"), updated.get("username")));
        Map<String, Object> moved = assertSuccess(client.get("/api/v1/users/me/profile" + slash, token), 200);
        assertEquals(List.of("Updated Name", "Staff Engineer", "Lagos"), List.of(moved.get("name"), moved.get("title"), moved.get("location")));
        assertSignedIn(api.post(AUTH + "/login" + slash, Map.of("username", registration.get("username"), "password", EARLIER_PASSWORD)), 200, email);
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"", "/"})
    @SuppressWarnings("unchecked")
    void passwordResetAtTheHyphenatedPaths(String slash) {
        String email = uniqueEmail("fastapi-users");
        Map<String, Object> grant = running.accounts().registerGrant(email);

        assertSuccess(api.post(AUTH + "/password-reset-request" + slash, Map.of("email", email)), 202);
        String resetToken = (String) ((Map<String, Object>) events.await("user.password_reset_requested", userId(grant)).get("data")).get("token");
        String newPassword = "quiet harbour lantern morning";
        assertSuccess(api.post(AUTH + "/password-reset-confirm" + slash, Map.of("token", resetToken, "new_password", newPassword)), 200);

        assertError(client.get(AUTH + "/me" + slash, access(grant)), 401, "unauthorized");
        assertSignedIn(api.post(AUTH + "/login" + slash, Map.of("email", email, "password", newPassword)), 200, email);
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"", "/"})
    @SuppressWarnings("unchecked")
    void emailVerificationAtTheHyphenatedPaths(String slash) {
        Map<String, Object> grant = running.accounts().registerGrant(uniqueEmail("fastapi-users"));

        assertSuccess(client.send("POST", AUTH + "/verify-email-request" + slash, null, access(grant)), 202);
        String verifyToken = (String) ((Map<String, Object>) events.await("user.email_verification_requested", userId(grant)).get("data")).get("token");
        assertSuccess(client.send("POST", AUTH + "/verify-email" + slash, Map.of("token", verifyToken), null), 200);

        assertEquals(true, assertSuccess(client.get(AUTH + "/me" + slash, access(grant)), 200).get("email_verified"));
    }
}

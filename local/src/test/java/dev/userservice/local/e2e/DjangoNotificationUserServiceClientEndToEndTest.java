package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.EarlierClients.assertListed;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static dev.userservice.local.e2e.EarlierClients.assertUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.local.e2e.Accounts.Account;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client of the earlier Django notification user service (Simple JWT; profile, preferences and push tokens under
 * {@code /api/v1/users/}) replays that service's documented endpoints at its own paths, with the trailing slash its
 * clients send and without it. docs/compatibility.md lists what each path maps to here.
 */
class DjangoNotificationUserServiceClientEndToEndTest {
    private static final String USERS = "/api/v1/users";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void registerLoginRefreshAndLogoutAtTheEarlierPaths(String slash) {
        Map<String, Object> registered = client.simpleJwtCycle(uniqueEmail("django-notify"), slash);

        assertSuccess(client.get(USERS + "/profile" + slash, access(registered)), 200);
    }

    /** Django REST framework wrote times to the microsecond, and its clients read them with strptime's %f (1 to 6 digits). */
    @Test
    void timesHaveAtMostSixDigitsOfASecond() {
        Pattern drfTime = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z$");
        for (int account = 0; account < 3; account++) {
            Account user = accounts.register(uniqueEmail("django-times"));
            Map<String, Object> profile = assertSuccess(client.get(USERS + "/profile/", user.accessToken()), 200);
            for (String field : List.of("created_at", "updated_at")) {
                assertTrue(drfTime.matcher((String) profile.get(field)).matches(), () -> field + ": " + profile.get(field));
            }
        }
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void theProfileIsTheCallersAndNotAUserCalledProfile(String slash) {
        Account alice = accounts.register(uniqueEmail("django-notify"));

        assertUser(assertSuccess(client.get(USERS + "/profile" + slash, alice.accessToken()), 200), alice.id(), alice.email());

        Map<String, Object> updated = assertSuccess(client.send("PUT", USERS + "/profile" + slash,
                Map.of("name", "Alice Renamed", "timezone", "Europe/Paris"), alice.accessToken()), 200);
        assertEquals("Alice Renamed", updated.get("name"));
        assertEquals("Europe/Paris", updated.get("timezone"));
        assertEquals("Alice Renamed", accounts.me(alice).data().get("name"));
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void changePasswordAtTheEarlierPath(String slash) {
        Account alice = accounts.register(uniqueEmail("django-notify"));
        String newPassword = "quiet harbour lantern morning";

        assertSuccess(client.send("POST", USERS + "/change-password" + slash,
                Map.of("old_password", PASSWORD, "new_password", newPassword, "confirm_password", newPassword), alice.accessToken()), 200);

        assertEquals("invalid_credentials", api.post("/api/v1/auth/login", Map.of("email", alice.email(), "password", PASSWORD)).error());
        accounts.loginGrant(alice.email(), newPassword);
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void preferencesAreReadAndReplacedAtTheEarlierPath(String slash) {
        Account alice = accounts.register(uniqueEmail("django-notify"));

        Map<String, Object> preferences = assertSuccess(client.get(USERS + "/preferences" + slash, alice.accessToken()), 200);
        assertEquals(true, preferences.get("email"));
        assertEquals(true, preferences.get("push"));

        Map<String, Object> updated = assertSuccess(client.send("PUT", USERS + "/preferences" + slash,
                Map.of("email", false, "push", true), alice.accessToken()), 200);
        assertEquals(false, updated.get("email"));
        assertEquals(false, api.get(USERS + "/me/preferences", "Authorization", alice.authorization()).data().get("email"));

        // A Django REST Framework client's PUT sends back the whole object it read, read-only time included.
        Map<String, Object> edited = new java.util.LinkedHashMap<>(updated);
        edited.put("push", false);
        edited.put("quiet_hours_start", "22:00:00");
        edited.put("quiet_hours_end", "07:00:00");
        Map<String, Object> replaced = assertSuccess(client.send("PUT", USERS + "/preferences" + slash, edited, alice.accessToken()), 200);
        assertEquals(false, replaced.get("push"));
        assertEquals("22:00", replaced.get("quiet_hours_start"));
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    @SuppressWarnings("unchecked")
    void pushTokensAreRegisteredListedReadUpdatedDeletedAndDeactivated(String slash) {
        Account alice = accounts.register(uniqueEmail("django-notify"));
        String pushTokens = USERS + "/push-tokens";

        Map<String, Object> device = assertSuccess(client.send("POST", pushTokens + slash,
                Map.of("token", "fcm-" + UUID.randomUUID(), "platform", "android"), alice.accessToken()), 201);
        String deviceId = (String) device.get("id");
        Map<String, Object> second = assertSuccess(client.send("POST", pushTokens + slash,
                Map.of("token", "apns-" + UUID.randomUUID(), "platform", "ios"), alice.accessToken()), 201);

        Api.Response listed = client.get(pushTokens + slash + "?page=1", alice.accessToken());
        assertEquals(2, assertListed(listed).size(), listed.text());
        Map<String, Object> meta = (Map<String, Object>) listed.body().get("meta");
        assertEquals(List.of("total", "limit", "page", "total_pages", "has_next", "has_previous"), List.copyOf(meta.keySet()));

        assertEquals(deviceId, assertSuccess(client.get(pushTokens + "/" + deviceId + slash, alice.accessToken()), 200).get("id"));
        Map<String, Object> updated = assertSuccess(client.send("PUT", pushTokens + "/" + deviceId + slash,
                Map.of("active", true, "device_name", "Pixel"), alice.accessToken()), 200);
        assertEquals("Pixel", updated.get("device_name"));

        assertSuccess(client.send("DELETE", pushTokens + "/" + deviceId + slash, null, alice.accessToken()), 200);
        assertError(client.get(pushTokens + "/" + deviceId + slash, alice.accessToken()), 404, "not_found");

        assertEquals(1, deactivated(client.send("POST", pushTokens + "/deactivate_all" + slash, null, alice.accessToken())));
        assertEquals(false, assertSuccess(client.get(pushTokens + "/" + second.get("id") + slash, alice.accessToken()), 200).get("active"));
        assertEquals(0, deactivated(client.send("POST", pushTokens + "/deactivate-all" + slash, null, alice.accessToken())),
                "both spellings are the same operation");
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void healthAtTheEarlierPath(String slash) {
        Map<String, Object> health = assertSuccess(api.get(USERS + "/health" + slash), 200);
        assertTrue(List.of("ok", "degraded").contains(health.get("status")), health.toString());
    }

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"/", ""})
    void anotherUsersPushTokenIsNotFound(String slash) {
        Account alice = accounts.register(uniqueEmail("django-notify"));
        Map<String, Object> grant = accounts.registerGrant(uniqueEmail("django-notify"));
        String bobsDevice = (String) assertSuccess(client.send("POST", USERS + "/push-tokens" + slash,
                Map.of("token", "fcm-" + UUID.randomUUID(), "platform", "web"), access(grant)), 201).get("id");

        assertError(client.get(USERS + "/push-tokens/" + bobsDevice + slash, alice.accessToken()), 404, "not_found");
        assertError(client.send("DELETE", USERS + "/push-tokens/" + bobsDevice + slash, null, alice.accessToken()), 404, "not_found");
        assertEquals(bobsDevice, assertSuccess(client.get(USERS + "/push-tokens/" + bobsDevice, access(grant)), 200).get("id"),
                "bob's device is still there: " + userId(grant));
    }

    private static int deactivated(Api.Response response) {
        Map<String, Object> data = assertSuccess(response, 200);
        assertEquals(Set.of("deactivated"), data.keySet(), response.text());
        return ((Number) data.get("deactivated")).intValue();
    }
}

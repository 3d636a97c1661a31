package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Accounts.userId;
import static dev.userservice.local.e2e.EarlierClients.assertSignedIn;
import static dev.userservice.local.e2e.EarlierClients.assertSuccess;
import static dev.userservice.local.e2e.EarlierClients.assertUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client of the earlier FastAPI notification user service replays its documented sample requests (register with
 * preferences, read a user, replace the preferences, register a device, health) at its paths, with and without a
 * trailing slash. Its paths already had an equivalent here; its reads now need a bearer token (the earlier samples
 * sent none), which docs/compatibility.md lists as the one change its clients make.
 */
class FastApiNotificationUserServiceClientEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final EarlierClients client = new EarlierClients(api);

    @ParameterizedTest(name = "trailing \"{0}\"")
    @ValueSource(strings = {"", "/"})
    void theDocumentedSampleRequestsInOrder(String slash) {
        String email = uniqueEmail("fastapi-notify");
        Map<String, Object> registration = Map.of("name", "John Doe", "email", email, "password", "StrongPass123!",
                "preferences", Map.of("email", true, "push", false));

        Map<String, Object> registered = assertSignedIn(api.post("/api/v1/users" + slash, registration), 201, email);
        String id = userId(registered);
        String token = access(registered);

        assertUser(assertSuccess(client.get("/api/v1/users/" + id + slash, token), 200), id, email);

        Map<String, Object> preferences = assertSuccess(client.send("PUT", "/api/v1/users/" + id + "/preferences" + slash,
                Map.of("email", false, "push", true, "quiet_hours_start", "22:00", "quiet_hours_end", "07:00"), token), 200);
        assertEquals(false, preferences.get("email"));
        assertEquals(true, preferences.get("push"));
        assertEquals("22:00", preferences.get("quiet_hours_start"));
        assertEquals("07:00", preferences.get("quiet_hours_end"));

        String deviceToken = "fcm_device_token_" + UUID.randomUUID();
        Map<String, Object> device = assertSuccess(client.send("POST", "/api/v1/users/" + id + "/devices" + slash,
                Map.of("token", deviceToken, "platform", "android", "active", true), token), 201);
        assertEquals(deviceToken, device.get("token"));
        assertEquals(true, device.get("active"));
        assertEquals(device.get("id"), assertSuccess(client.send("POST", "/api/v1/users/" + id + "/devices" + slash,
                Map.of("token", deviceToken, "platform", "android", "active", true), token), 200).get("id"),
                "registering the same token again updates the device");

        Map<String, Object> health = assertSuccess(api.get("/health" + slash), 200);
        assertTrue(List.of("ok", "degraded").contains(health.get("status")), health.toString());
    }
}

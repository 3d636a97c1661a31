package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What support (the admin console) does on a user's behalf, over HTTP through the local runner: reading another
 * user's devices, sessions and notification profile, deactivating a device and ending sessions, each recorded as
 * the admin's ({@code admin}) and not the user's, and none of it open to another user.
 */
class SupportRoutesEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();
    private static final Accounts.Account admin = accounts.admin();

    @Test
    void anAdminReadsAUsersDevicesAndDeactivatesOneAsTheAdmins() {
        Accounts.Account alice = accounts.register(uniqueEmail("support"));
        Api.Response registered = api.post("/api/v1/users/me/devices",
                Map.of("token", "token-" + UUID.randomUUID(), "platform", "android"), "Authorization", alice.authorization());
        assertEquals(201, registered.status(), registered.text());
        String deviceId = (String) registered.data().get("id");
        String devices = "/api/v1/users/" + alice.id() + "/devices";

        List<Map<String, Object>> listed = list(api.get(devices, "Authorization", admin.authorization()));
        assertEquals(List.of(deviceId), listed.stream().map(device -> device.get("id")).toList());
        assertNull(listed.getFirst().get("deactivated_reason"), "active");

        Api.Response off = api.send("PATCH", devices + "/" + deviceId, "{\"active\": false}",
                "Authorization", admin.authorization(), "Content-Type", "application/json");
        assertEquals(200, off.status(), off.text());
        assertEquals(false, off.data().get("active"));
        assertEquals("admin", off.data().get("deactivated_reason"));
        assertEquals("admin", eventData("device.deactivated", alice.id()).get("reason"));
        assertEquals("admin", list(api.get("/api/v1/users/me/devices", "Authorization", alice.authorization()))
                .getFirst().get("deactivated_reason"), "the user sees why it stopped");

        Accounts.Account bob = accounts.register(uniqueEmail("support"));
        assertError(api.get(devices, "Authorization", bob.authorization()), 403, "forbidden");
        assertError(api.send("PATCH", devices + "/" + deviceId, "{\"active\": true}", "Authorization", bob.authorization(),
                "Content-Type", "application/json"), 403, "forbidden");
        assertError(api.get("/api/v1/users/" + UUID.randomUUID() + "/devices", "Authorization", admin.authorization()), 404, "not_found");
        assertEquals(200, api.get("/api/v1/users/" + alice.id() + "/devices", "Authorization", alice.authorization()).status(),
                "the user's own, by id");
    }

    @Test
    void anAdminListsAUsersSessionsAndEndsOneThenAllAndTheUsersTokensStopWorking() {
        String email = uniqueEmail("support");
        Accounts.Account first = accounts.register(email);
        Accounts.Account second = accounts.login(email);
        String sessions = "/api/v1/users/" + first.id() + "/sessions";

        List<Map<String, Object>> live = list(api.get(sessions, "Authorization", admin.authorization()));
        assertEquals(2, live.size(), live.toString());
        assertEquals(List.of(false, false), live.stream().map(session -> session.get("current")).toList(), "neither is the admin's");
        String secondId = (String) live.getFirst().get("id");

        assertEquals(200, api.send("DELETE", sessions + "/" + secondId, null, "Authorization", admin.authorization()).status());
        assertError(api.get("/api/v1/users/me", "Authorization", second.authorization()), 401, "unauthorized");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", first.authorization()).status(), "the other session lives");
        assertError(api.send("DELETE", sessions + "/" + secondId, null, "Authorization", admin.authorization()), 404, "not_found");

        Api.Response all = api.send("DELETE", sessions, null, "Authorization", admin.authorization());
        assertEquals(200, all.status(), all.text());
        assertEquals("Every session of the user ended", all.body().get("message"));
        assertError(api.get("/api/v1/users/me", "Authorization", first.authorization()), 401, "unauthorized");

        List<Map<String, Object>> ended = list(api.get(sessions + "?state=ended", "Authorization", admin.authorization()));
        assertEquals(List.of("admin", "admin"), ended.stream().map(session -> session.get("end_reason")).toList());
        assertError(api.get("/api/v1/users/" + UUID.randomUUID() + "/sessions", "Authorization", admin.authorization()), 404, "not_found");
        assertError(api.send("DELETE", "/api/v1/users/" + UUID.randomUUID() + "/sessions", null, "Authorization", admin.authorization()),
                404, "not_found");
    }

    @Test
    void anotherUserCannotReadOrEndSomeoneElsesSessions() {
        Accounts.Account alice = accounts.register(uniqueEmail("support"));
        Accounts.Account mallory = accounts.register(uniqueEmail("support"));
        String sessions = "/api/v1/users/" + alice.id() + "/sessions";

        assertError(api.get(sessions, "Authorization", mallory.authorization()), 403, "forbidden");
        assertError(api.send("DELETE", sessions, null, "Authorization", mallory.authorization()), 403, "forbidden");
        assertError(api.send("DELETE", sessions + "/" + UUID.randomUUID(), null, "Authorization", mallory.authorization()), 403, "forbidden");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", alice.authorization()).status(), "alice is still signed in");
    }

    @Test
    void anAdminReadsTheNotificationProfileAPipelineWouldSeeButAUserCannot() {
        Accounts.Account alice = accounts.register(uniqueEmail("support"));
        String path = "/api/v1/internal/users/" + alice.id() + "/notification-profile";

        Api.Response byAdmin = api.get(path, "Authorization", admin.authorization());
        assertEquals(200, byAdmin.status(), byAdmin.text());
        assertEquals(alice.id(), byAdmin.data().get("user_id"));
        assertError(api.get(path, "Authorization", alice.authorization()), 403, "forbidden");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Api.Response response) {
        assertEquals(200, response.status(), response.text());
        return (List<Map<String, Object>>) response.body().get("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> eventData(String type, String userId) {
        return (Map<String, Object>) events.await(type, userId).get("data");
    }
}

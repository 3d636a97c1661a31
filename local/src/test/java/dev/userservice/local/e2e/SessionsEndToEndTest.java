package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.userservice.config.ServiceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The caller's sessions over real HTTP through the local runner: listing, ending one, ending all. */
class SessionsEndToEndTest {
    private static final String SESSIONS = "/api/v1/auth/sessions";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void listShowsEveryLiveSessionWithTheCurrentOneMarked() {
        String email = uniqueEmail("sessions");
        accounts.registerGrant(email);
        Map<String, Object> laptop = login(email, "Work laptop", "Firefox/128.0");

        Api.Response listed = api.get(SESSIONS, "Authorization", bearer(access(laptop)));

        assertEquals(200, listed.status(), listed.text());
        List<Map<String, Object>> sessions = sessions(listed);
        assertEquals(2, sessions.size(), listed.text());
        Map<String, Object> newest = sessions.get(0);
        assertEquals("Work laptop", newest.get("device_name"), "newest first");
        assertEquals("Firefox/128.0", newest.get("user_agent"));
        assertNotNull(newest.get("ip"));
        assertNotNull(newest.get("created_at"));
        assertNotNull(newest.get("last_used_at"));
        assertEquals(true, newest.get("current"));
        assertEquals(false, sessions.get(1).get("current"));
        assertNull(sessions.get(1).get("device_name"), "registration names no device");
        assertEquals(List.of("id", "device_name", "user_agent", "ip", "created_at", "last_used_at", "current"),
                List.copyOf(newest.keySet()), "exactly the contract's fields, no token hashes");
        assertEquals(Map.of("total", 2L, "limit", 20L, "page", 1L, "total_pages", 1L, "has_next", false, "has_previous", false),
                listed.body().get("meta"));
    }

    @Test
    void aSignInBeyondTheLiveSessionLimitEndsTheOldestSessionAndItsDevices() {
        int limit = ServiceConfig.from(Map.of("TABLE_NAME", "defaults")).maxLiveSessions();
        String email = uniqueEmail("sessions");
        Map<String, Object> oldest = accounts.registerGrant(email);
        String token = "token-" + UUID.randomUUID();
        assertEquals(201, api.post("/api/v1/users/me/devices", Map.of("token", token, "platform", "ios"),
                "Authorization", bearer(access(oldest))).status());
        for (int i = 1; i < limit; i++) {
            login(email, "device " + i, "tests/1.0");
        }
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(oldest))).status(), "at the limit, all live");

        Map<String, Object> newest = login(email, "one too many", "tests/1.0");

        assertError(api.get("/api/v1/users/me", "Authorization", bearer(access(oldest))), 401, "unauthorized");
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", oldest.get("refresh_token"))).error());
        Api.Response listed = api.get(SESSIONS + "?limit=100", "Authorization", bearer(access(newest)));
        assertEquals((long) limit, ((Map<?, ?>) listed.body().get("meta")).get("total"), listed.text());
        Api.Response devices = api.get("/api/v1/users/me/devices", "Authorization", bearer(access(newest)));
        @SuppressWarnings("unchecked")
        Map<String, Object> device = ((List<Map<String, Object>>) devices.body().get("data")).getFirst();
        assertEquals(false, device.get("active"), "the ended session's device ended with it: " + devices.text());
    }

    @Test
    void listIsPagedAndRefusesBadPageParameters() {
        String email = uniqueEmail("sessions");
        String token = access(accounts.registerGrant(email));
        login(email, "phone", null);
        login(email, "tablet", null);

        Api.Response second = api.get(SESSIONS + "?limit=2&page=2", "Authorization", bearer(token));
        assertEquals(200, second.status(), second.text());
        assertEquals(1, sessions(second).size());
        assertEquals(Map.of("total", 3L, "limit", 2L, "page", 2L, "total_pages", 2L, "has_next", false, "has_previous", true),
                second.body().get("meta"));
        Api.Response beyond = api.get(SESSIONS + "?page=9", "Authorization", bearer(token));
        assertEquals(200, beyond.status(), beyond.text());
        assertEquals(List.of(), beyond.body().get("data"));

        for (String query : List.of("?limit=0", "?limit=101", "?limit=ten", "?page=0", "?page=-1", "?page=1.5", "?page=99999999999")) {
            assertError(api.get(SESSIONS + query, "Authorization", bearer(token)), 400, "validation_failed");
        }
        Api.Response both = api.get(SESSIONS + "?page=x&limit=500", "Authorization", bearer(token));
        assertEquals(List.of("page", "limit"), detailFields(both), "every bad parameter is reported at once");
        assertError(api.get(SESSIONS), 401, "unauthorized");
    }

    @Test
    void anotherUsersSessionCannotBeRevokedOrSeen() {
        Map<String, Object> alice = accounts.registerGrant(uniqueEmail("sessions"));
        Map<String, Object> bob = accounts.registerGrant(uniqueEmail("sessions"));
        String bobsSession = (String) sessions(api.get(SESSIONS, "Authorization", bearer(access(bob)))).get(0).get("id");

        Api.Response attempt = api.send("DELETE", SESSIONS + "/" + bobsSession, null, "Authorization", bearer(access(alice)));

        assertError(attempt, 404, "not_found");
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(bob))).status(), "Bob stays signed in");
        assertEquals(1, sessions(api.get(SESSIONS, "Authorization", bearer(access(alice)))).size(), "Alice sees only her own");
        for (String unknown : List.of(UUID.randomUUID().toString(), "not-a-session", "A".repeat(2000), "%00")) {
            assertError(api.send("DELETE", SESSIONS + "/" + unknown, null, "Authorization", bearer(access(alice))), 404, "not_found");
        }
    }

    /** Ending another session of one's own ends it and the device registered in it, under the function's own permissions. */
    @Test
    void aRevokedSessionsTokensAreRefusedAtOnce() {
        String email = uniqueEmail("sessions");
        Map<String, Object> first = accounts.registerGrant(email);
        assertEquals(201, api.post("/api/v1/users/me/devices", Map.of("token", "token-" + UUID.randomUUID(), "platform", "ios"),
                "Authorization", bearer(access(first))).status());
        Map<String, Object> second = login(email, "phone", null);
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(first))).status());
        String firstSession = sessions(api.get(SESSIONS, "Authorization", bearer(access(second)))).stream()
                .filter(session -> Boolean.FALSE.equals(session.get("current"))).findFirst().orElseThrow().get("id").toString();

        Api.Response revoked = api.send("DELETE", SESSIONS + "/" + firstSession, null, "Authorization", bearer(access(second)));

        assertEquals(200, revoked.status(), revoked.text());
        assertError(api.get("/api/v1/users/me", "Authorization", bearer(access(first))), 401, "unauthorized");
        assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", first.get("refresh_token"))).error());
        assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(access(second))).status(), "the other session lives");
        assertEquals(1, sessions(api.get(SESSIONS, "Authorization", bearer(access(second)))).size());
        assertError(api.send("DELETE", SESSIONS + "/" + firstSession, null, "Authorization", bearer(access(second))), 404, "not_found");
        Api.Response devices = api.get("/api/v1/users/me/devices", "Authorization", bearer(access(second)));
        @SuppressWarnings("unchecked")
        Map<String, Object> device = ((List<Map<String, Object>>) devices.body().get("data")).getFirst();
        assertEquals(false, device.get("active"), "the ended session's device ended with it: " + devices.text());
    }

    @Test
    void logoutAllEndsEverySessionIncludingTheCurrentOne() {
        String email = uniqueEmail("sessions");
        List<Map<String, Object>> grants = List.of(accounts.registerGrant(email), login(email, "phone", null), login(email, "tablet", null));
        String caller = access(grants.get(1));

        assertError(api.post("/api/v1/auth/logout-all", Map.of("except_current", true), "Authorization", bearer(caller)),
                400, "validation_failed");
        assertEquals(3, sessions(api.get(SESSIONS, "Authorization", bearer(caller))).size(), "a refused request ends nothing");

        Api.Response loggedOut = api.post("/api/v1/auth/logout-all", Map.of(), "Authorization", bearer(caller));

        assertEquals(200, loggedOut.status(), loggedOut.text());
        for (Map<String, Object> grant : grants) {
            assertError(api.get("/api/v1/users/me", "Authorization", bearer(access(grant))), 401, "unauthorized");
            assertEquals("invalid_token", api.post("/api/v1/auth/refresh", Map.of("refresh_token", grant.get("refresh_token"))).error());
        }
        Map<String, Object> again = login(email, null, null);
        assertEquals(1, sessions(api.get(SESSIONS, "Authorization", bearer(access(again)))).size(), "signing in again starts afresh");
        assertEquals(200, api.send("POST", "/api/v1/auth/logout-all", null, "Authorization", bearer(access(again))).status(),
                "no body at all is fine too");
    }

    private static Map<String, Object> login(String email, String deviceName, String userAgent) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", PASSWORD);
        if (deviceName != null) {
            body.put("device_name", deviceName);
        }
        return userAgent == null ? accounts.loginGrant(body) : accounts.loginGrant(body, "User-Agent", userAgent);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessions(Api.Response response) {
        assertEquals(200, response.status(), response.text());
        return (List<Map<String, Object>>) response.body().get("data");
    }
}

package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.PASSWORD;
import static dev.userservice.local.e2e.Accounts.access;
import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.detailFields;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session history: {@code GET /api/v1/auth/sessions?state=ended|all} lists the sessions that ended, with when and
 * why, each reason written by the route that ended the session.
 */
class SessionHistoryEndToEndTest {
    private static final String SESSIONS = "/api/v1/auth/sessions";
    private static final String NEW_PASSWORD = "a completely new passphrase";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void endedSessionsAppearInTheHistoryWithTheirReasons() {
        String email = uniqueEmail("history");
        String registered = sessionId(accounts.registerGrant(email));
        Map<String, Object> signedOut = accounts.loginGrant(email, PASSWORD);
        Map<String, Object> copied = accounts.loginGrant(email, PASSWORD);
        Map<String, Object> changer = accounts.loginGrant(email, PASSWORD);

        assertEquals(200, api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(access(signedOut))).status());
        assertEquals(200, api.post("/api/v1/auth/refresh", Map.of("refresh_token", copied.get("refresh_token"))).status());
        assertError(api.post("/api/v1/auth/refresh", Map.of("refresh_token", copied.get("refresh_token"))), 401, "invalid_token");
        assertEquals(200, api.post("/api/v1/auth/change-password", Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD),
                "Authorization", bearer(access(changer))).status());
        Map<String, Object> everywhere = accounts.loginGrant(email, NEW_PASSWORD);
        assertEquals(200, api.post("/api/v1/auth/logout-all", Map.of(), "Authorization", bearer(access(everywhere))).status());
        Map<String, Object> reader = accounts.loginGrant(email, NEW_PASSWORD);

        Api.Response ended = api.get(SESSIONS + "?state=ended", "Authorization", bearer(access(reader)));

        assertEquals(200, ended.status(), ended.text());
        List<Map<String, Object>> history = sessions(ended);
        assertEquals(Map.of(
                registered, "password_changed",
                sessionId(signedOut), "logout",
                sessionId(copied), "refresh_reuse",
                sessionId(changer), "logout_all",
                sessionId(everywhere), "logout_all"),
                history.stream().collect(Collectors.toMap(session -> (String) session.get("id"), session -> (String) session.get("end_reason"))));
        for (Map<String, Object> session : history) {
            Instant endedAt = Instant.parse((String) session.get("ended_at"));
            assertFalse(endedAt.isBefore(Instant.parse((String) session.get("created_at"))), session.toString());
            assertEquals(false, session.get("current"));
        }
        assertEquals(List.of("id", "device_name", "user_agent", "ip", "created_at", "last_used_at", "current", "ended_at", "end_reason"),
                List.copyOf(history.getFirst().keySet()));
    }

    @Test
    void activeIsTheDefaultAndAllListsBoth() {
        String email = uniqueEmail("history");
        Map<String, Object> first = accounts.registerGrant(email);
        Map<String, Object> second = accounts.loginGrant(email, PASSWORD);
        assertEquals(200, api.post("/api/v1/auth/logout", Map.of(), "Authorization", bearer(access(first))).status());

        List<Map<String, Object>> active = sessions(api.get(SESSIONS, "Authorization", bearer(access(second))));
        List<Map<String, Object>> all = sessions(api.get(SESSIONS + "?state=all", "Authorization", bearer(access(second))));

        assertEquals(List.of(sessionId(second)), active.stream().map(session -> session.get("id")).toList());
        assertFalse(active.getFirst().containsKey("end_reason"));
        assertEquals(List.of(sessionId(second), sessionId(first)), all.stream().map(session -> session.get("id")).toList());
        assertTrue(all.get(1).containsKey("ended_at"));
        assertEquals(List.of("state"), detailFields(api.get(SESSIONS + "?state=revoked", "Authorization", bearer(access(second)))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessions(Api.Response listed) {
        assertEquals(200, listed.status(), listed.text());
        return (List<Map<String, Object>>) listed.body().get("data");
    }

    /** The session of a grant, as its access token's {@code sid} claim names it (readable after the session ends). */
    private static String sessionId(Map<String, Object> grant) {
        String payload = access(grant).split("\\.")[1];
        return (String) Json.parseObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).get("sid");
    }
}

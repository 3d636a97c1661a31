package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.userservice.local.e2e.Accounts.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/v1/users/me/stats}: the caller's own figures, which move as statuses and devices are recorded. */
class UserStatsEndToEndTest {
    private static final String STATS = "/api/v1/users/me/stats";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void statisticsCountTheCallersSessionsDevicesAndStatuses() {
        Account alice = accounts.register(uniqueEmail("stats"));
        Map<String, Object> before = stats(alice);
        assertEquals(Map.of("active", 1L, "total", 1L), before.get("sessions"));
        assertEquals(Map.of("active", 0L, "total", 0L), before.get("devices"));
        assertEquals(0L, count(before, "last_90_days", "email", "delivered"));
        assertNotNull(before.get("last_sign_in_at"));

        Api.Response device = api.post("/api/v1/users/me/devices",
                Map.of("token", "token-" + UUID.randomUUID(), "platform", "ios"), "Authorization", alice.authorization());
        assertEquals(201, device.status(), device.text());
        recordStatus(alice, "email", "delivered", Instant.now().minusSeconds(60));
        recordStatus(alice, "email", "delivered", Instant.now().minus(Duration.ofDays(45)));
        recordStatus(alice, "push", "opened", Instant.now().minusSeconds(30));

        Map<String, Object> after = stats(alice);
        assertEquals(Map.of("active", 1L, "total", 1L), after.get("devices"));
        assertEquals(1L, count(after, "last_30_days", "email", "delivered"));
        assertEquals(2L, count(after, "last_90_days", "email", "delivered"));
        assertEquals(1L, count(after, "last_30_days", "push", "opened"));
        assertEquals(0L, count(after, "last_90_days", "push", "failed"));
        assertEquals(true, ((Map<?, ?>) after.get("notifications")).get("complete"));
    }

    @Test
    void onlyTheUsersOwnFiguresAndOnlyForUsers() {
        Account bob = accounts.register(uniqueEmail("stats-bob"));
        Account carol = accounts.register(uniqueEmail("stats-carol"));
        recordStatus(carol, "email", "sent", Instant.now());

        assertEquals(0L, count(stats(bob), "last_30_days", "email", "sent"));
        assertError(api.get(STATS, "Authorization", bearer(running.serviceToken())), 403, "forbidden");
        assertError(api.get(STATS), 401, "unauthorized");
    }

    private static Map<String, Object> stats(Account caller) {
        Api.Response response = api.get(STATS, "Authorization", caller.authorization());
        assertEquals(200, response.status(), response.text());
        return response.data();
    }

    private static long count(Map<String, Object> stats, String period, String channel, String status) {
        Map<?, ?> notifications = (Map<?, ?>) stats.get("notifications");
        return (Long) ((Map<?, ?>) ((Map<?, ?>) notifications.get(period)).get(channel)).get(status);
    }

    private static void recordStatus(Account user, String channel, String status, Instant at) {
        Api.Response recorded = api.post("/api/v1/" + channel + "/status", Map.of(
                        "notification_id", UUID.randomUUID().toString(), "user_id", user.id(),
                        "status", status, "timestamp", at.toString()),
                "Authorization", bearer(running.serviceToken()));
        assertEquals(201, recorded.status(), recorded.text());
    }
}

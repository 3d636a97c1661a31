package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.json.Json;
import dev.userservice.local.e2e.Accounts.Account;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/metrics}: counters kept from the table's stream, which move after a registration, a device, a
 * status and a deletion once the runner's stream consumers have caught up; for admins and services only.
 */
class MetricsEndToEndTest {
    private static final String METRICS = "/api/v1/metrics";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void countersMoveAfterARegistrationADeviceAStatusAndADeletion() {
        Account admin = accounts.admin();
        Map<String, Object> before = metrics(admin);

        Account alice = accounts.register(uniqueEmail("metrics"));
        Api.Response device = api.post("/api/v1/users/me/devices",
                Map.of("token", "token-" + UUID.randomUUID(), "platform", "android"), "Authorization", alice.authorization());
        assertEquals(201, device.status(), device.text());
        Api.Response status = api.post("/api/v1/push/status", Map.of("notification_id", UUID.randomUUID().toString(),
                "user_id", alice.id(), "status", "delivered", "timestamp", Instant.now().toString()),
                "Authorization", bearer(running.serviceToken()));
        assertEquals(201, status.status(), status.text());
        Map<String, Object> registered = metrics(admin);

        assertEquals(1, count(registered, "users", "by_status", "active") - count(before, "users", "by_status", "active"));
        assertEquals(1, total(registered, "by_type") - total(before, "by_type"));
        assertEquals(1, total(registered, "by_plan") - total(before, "by_plan"));
        assertEquals(1, count(registered, "sessions", "active") - count(before, "sessions", "active"));
        assertEquals(1, count(registered, "devices", "active") - count(before, "devices", "active"));
        assertEquals(1, count(registered, "notifications_last_24_hours", "push", "delivered")
                - count(before, "notifications_last_24_hours", "push", "delivered"));
        assertEquals(1, hourly(registered, "delivered") - hourly(before, "delivered"), "the same status, hour by hour");

        Api.Response deleted = api.send("DELETE", "/api/v1/users/" + alice.id(), "", "Authorization", admin.authorization());
        assertEquals(200, deleted.status(), deleted.text());
        Map<String, Object> after = metrics(admin);

        assertEquals(count(before, "users", "by_status", "active"), count(after, "users", "by_status", "active"));
        assertEquals(total(before, "by_type"), total(after, "by_type"));
        assertEquals(count(before, "sessions", "active"), count(after, "sessions", "active"));
        assertEquals(count(before, "devices", "active"), count(after, "devices", "active"));
    }

    @Test
    void aStreamRecordDeliveredAgainCountsOnce() {
        Account admin = accounts.admin();
        Map<String, Object> partition = Map.of("S", "USER#" + UUID.randomUUID());
        byte[] deactivation = Json.writeBytes(Map.of("Records", List.of(Map.of(
                "eventID", UUID.randomUUID().toString(), "eventName", "MODIFY", "dynamodb", Map.of(
                        "SequenceNumber", "1",
                        "NewImage", Map.of("pk", partition, "type", Map.of("S", "device"), "active", Map.of("BOOL", false)),
                        "OldImage", Map.of("pk", partition, "type", Map.of("S", "device"), "active", Map.of("BOOL", true)))))));
        Map<String, Object> before = metrics(admin);

        running.service().invoke("TableChangesFunction", deactivation);
        running.service().invoke("TableChangesFunction", deactivation);

        assertEquals(-1, count(metrics(admin), "devices", "active") - count(before, "devices", "active"));
    }

    @Test
    void servicesReadTheCountersAndUsersAreForbidden() {
        Account user = accounts.register(uniqueEmail("metrics-user"));

        Api.Response byService = api.get(METRICS, "Authorization", bearer(running.serviceToken()));

        assertEquals(200, byService.status(), byService.text());
        assertEquals("no-store", byService.header("Cache-Control"));
        Map<?, ?> users = (Map<?, ?>) byService.data().get("users");
        assertEquals(List.of("member", "student", "staff"), users.get("types"), "the template's AccountTypes, in order");
        assertEquals(List.of("basic", "premium"), users.get("plans"), "the template's Plans, lowest first");
        assertError(api.get(METRICS, "Authorization", user.authorization()), 403, "forbidden");
        assertError(api.get(METRICS), 401, "unauthorized");
    }

    /** The counters once the stream consumers have caught up with every change made so far. */
    private static Map<String, Object> metrics(Account admin) {
        running.service().awaitStreamsCaughtUp();
        running.service().awaitStreamsCaughtUp();
        Api.Response response = api.get(METRICS, "Authorization", admin.authorization());
        assertEquals(200, response.status(), response.text());
        return response.data();
    }

    private static long count(Map<String, Object> metrics, String... path) {
        Object value = metrics;
        for (String step : path) {
            value = ((Map<?, ?>) value).get(step);
        }
        return value == null ? 0 : (Long) value;
    }

    /** A status summed over the 24 hours of {@code notifications_by_hour}, which must all be there. */
    private static long hourly(Map<String, Object> metrics, String status) {
        List<?> hours = (List<?>) metrics.get("notifications_by_hour");
        assertEquals(24, hours.size());
        return hours.stream().mapToLong(hour -> (Long) ((Map<?, ?>) ((Map<?, ?>) hour).get("by_status")).get(status)).sum();
    }

    private static long total(Map<String, Object> metrics, String dimension) {
        Map<?, ?> counts = (Map<?, ?>) ((Map<?, ?>) metrics.get("users")).get(dimension);
        return counts.values().stream().mapToLong(value -> (Long) value).sum();
    }
}

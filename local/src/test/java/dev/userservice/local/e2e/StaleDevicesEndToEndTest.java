package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.e2e.Accounts.Account;
import dev.userservice.store.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The daily pruning through the local runner: devices registered over the real route, some of them aged in the table
 * (the only thing the test writes directly: a last sighting 271 days ago and its index keys, as a device left alone
 * that long would have them), then the scheduled function invoked with the sample event. Only the stale ones are
 * deactivated, with their events, and leave the notification profile.
 */
class StaleDevicesEndToEndTest {
    private static final String DEVICES = "/api/v1/users/me/devices";
    private static final byte[] SCHEDULE = sample("events/prune-stale-devices.json");

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();
    private static final PublishedEvents events = running.events();
    private static final String serviceToken = running.serviceToken();

    @Test
    void onlyDevicesNotSeenFor270DaysAreDeactivated() {
        Account alice = accounts.register(uniqueEmail("stale"));
        Account bob = accounts.register(uniqueEmail("stale"));
        Account carol = accounts.register(uniqueEmail("stale"));
        Account erin = accounts.register(uniqueEmail("stale"));
        String aliceOldToken = newToken();
        String aliceNewToken = newToken();
        String aliceOld = register(alice, aliceOldToken);
        String aliceNew = register(alice, aliceNewToken);
        String erinOff = register(erin, newToken());
        assertEquals(200, accounts.patch(DEVICES + "/" + erinOff, erin, Map.of("active", false)).status());
        String bobOld = register(bob, newToken());
        String carolNew = register(carol, newToken());

        Map<String, AttributeValue> fresh = device(alice.id(), aliceNew);
        assertEquals(Keys.devicesSeenIn(Instant.parse(fresh.get("last_seen_at").s()), aliceNew), fresh.get("gsi3pk").s(),
                "an active device is listed by the month it was last seen");
        assertEquals(Keys.deviceSeen(Instant.parse(fresh.get("last_seen_at").s()), alice.id(), aliceNew), fresh.get("gsi3sk").s());
        assertFalse(device(erin.id(), erinOff).containsKey("gsi3pk"), "an inactive device is not listed");

        Instant longAgo = Instant.now().minus(Duration.ofDays(271));
        age(alice.id(), aliceOld, longAgo);
        age(bob.id(), bobOld, longAgo.minus(Duration.ofDays(40)));
        ageInactive(erin.id(), erinOff, longAgo);
        assertEquals(List.of(aliceOldToken, aliceNewToken).stream().sorted().toList(), pushTokens(alice.id()),
                "before the run (and now cached)");
        assertEquals(Map.of(aliceOld, true, aliceNew, true), accounts.devicesActiveById(alice), "listed, and the list cached");

        Map<String, Object> result = accounts.invoke("PruneStaleDevicesFunction", SCHEDULE);

        assertEquals(Map.of("deactivated", 2L, "complete", true), result);
        for (String[] stale : new String[][] {{alice.id(), aliceOld}, {bob.id(), bobOld}}) {
            Map<String, AttributeValue> item = device(stale[0], stale[1]);
            assertEquals(false, item.get("active").bool());
            assertEquals("stale", item.get("deactivated_reason").s());
            assertFalse(item.containsKey("gsi3pk") || item.containsKey("gsi3sk"), "a deactivated device leaves the index");
        }
        assertEquals(true, device(alice.id(), aliceNew).get("active").bool());
        assertEquals(true, device(carol.id(), carolNew).get("active").bool());
        assertEquals("user_request", device(erin.id(), erinOff).get("deactivated_reason").s(), "an inactive device stays as it was");

        assertEquals(Map.of("device_id", aliceOld, "reason", "stale"), idAndReason(events.await("device.deactivated", alice.id())));
        assertEquals(Map.of("device_id", bobOld, "reason", "stale"), idAndReason(events.await("device.deactivated", bob.id())));
        events.assertNone("device.deactivated", carol.id());
        assertEquals(1, events.receivedFor(alice.id()).stream()
                .filter(event -> "device.deactivated".equals(event.get("type"))).count(), "nothing for her fresh device");
        assertEquals(List.of("user_request"), events.receivedFor(erin.id()).stream()
                .filter(event -> "device.deactivated".equals(event.get("type")))
                .map(event -> idAndReason(event).get("reason")).toList(), "only her own deactivation");

        assertEquals(List.of(aliceNewToken), pushTokens(alice.id()), "the stale device is gone from the profile");
        assertEquals(List.of(), pushTokens(bob.id()));
        assertEquals(1, pushTokens(carol.id()).size());
        Api.Response listed = api.get(DEVICES + "/" + aliceOld, "Authorization", alice.authorization());
        assertEquals(false, listed.data().get("active"), listed.text());
        assertEquals(Map.of(aliceOld, false, aliceNew, true), accounts.devicesActiveById(alice), "the run forgot the cached list");

        assertEquals(Map.of("deactivated", 0L, "complete", true), accounts.invoke("PruneStaleDevicesFunction", SCHEDULE),
                "the next run finds nothing left");
    }

    @Test
    void aDeviceRegisteredAgainIsSeenAgainAndKept() {
        Account dana = accounts.register(uniqueEmail("stale"));
        String token = newToken();
        String id = register(dana, token);
        age(dana.id(), id, Instant.now().minus(Duration.ofDays(300)));

        assertEquals(id, register(dana, token), "the app registers its token again at start");
        accounts.invoke("PruneStaleDevicesFunction", SCHEDULE);

        assertEquals(true, device(dana.id(), id).get("active").bool());
        Map<String, AttributeValue> item = device(dana.id(), id);
        Instant seen = Instant.parse(item.get("last_seen_at").s());
        assertTrue(seen.isAfter(Instant.now().minus(Duration.ofMinutes(5))), "seen at the registration");
        assertEquals(Keys.deviceSeen(seen, dana.id(), id), item.get("gsi3sk").s(), "and listed as seen then");
        events.assertNone("device.deactivated", dana.id());
    }

    /** What a device not seen since {@code seen} holds: its last sighting and the index keys that go with it. */
    private static void age(String userId, String deviceId, Instant seen) {
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + userId), "sk", AttributeValue.fromS("DEVICE#" + deviceId)))
                .updateExpression("SET last_seen_at = :seen, gsi3pk = :month, gsi3sk = :sort")
                .expressionAttributeValues(Map.of(
                        ":seen", AttributeValue.fromS(seen.toString()),
                        ":month", AttributeValue.fromS(Keys.devicesSeenIn(seen, deviceId)),
                        ":sort", AttributeValue.fromS(Keys.deviceSeen(seen, userId, deviceId)))));
    }

    private static void ageInactive(String userId, String deviceId, Instant seen) {
        running.dynamo().updateItem(request -> request.tableName(running.table())
                .key(Map.of("pk", AttributeValue.fromS("USER#" + userId), "sk", AttributeValue.fromS("DEVICE#" + deviceId)))
                .updateExpression("SET last_seen_at = :seen")
                .expressionAttributeValues(Map.of(":seen", AttributeValue.fromS(seen.toString()))));
    }

    private static String register(Account caller, String token) {
        Api.Response registered = api.post(DEVICES, Map.of("token", token, "platform", "android"),
                "Authorization", caller.authorization());
        assertTrue(registered.status() == 201 || registered.status() == 200, registered.text());
        return (String) registered.data().get("id");
    }

    private static Map<String, AttributeValue> device(String userId, String deviceId) {
        Map<String, AttributeValue> item = accounts.item("USER#" + userId, "DEVICE#" + deviceId);
        assertTrue(item != null && !item.isEmpty(), "no device " + deviceId);
        return item;
    }

    /** The push tokens of the user's notification profile, sorted. */
    @SuppressWarnings("unchecked")
    private static List<String> pushTokens(String userId) {
        Api.Response profile = api.get("/api/v1/internal/users/" + userId + "/notification-profile",
                "Authorization", bearer(serviceToken));
        assertEquals(200, profile.status(), profile.text());
        Map<String, Object> push = (Map<String, Object>) ((Map<String, Object>) profile.data().get("channels")).get("push");
        return ((List<Map<String, Object>>) push.get("tokens")).stream().map(target -> (String) target.get("token")).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> idAndReason(Map<String, Object> event) {
        Map<String, Object> data = (Map<String, Object>) event.get("data");
        return Map.of("device_id", data.get("device_id"), "reason", data.get("reason"));
    }

    private static String newToken() {
        return "token-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    }

    private static byte[] sample(String path) {
        try {
            return Files.readAllBytes(LocalOptions.defaults().template().getParent().resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

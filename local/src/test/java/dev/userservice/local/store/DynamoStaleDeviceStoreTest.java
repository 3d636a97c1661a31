package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.DeactivationReason;
import dev.userservice.devices.Device;
import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceRules;
import dev.userservice.devices.StaleDeviceStore.Seen;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.DynamoStaleDeviceStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stale-device index as DynamoDB Local answers it, and deactivation through the device store's transaction.
 * Other tests share the table, so each reading keeps only this test's users.
 */
class DynamoStaleDeviceStoreTest {
    private static final YearMonth FEBRUARY = YearMonth.of(2025, 2);
    private static final Instant EARLY_FEBRUARY = Instant.parse("2025-02-05T08:00:00Z");
    private static final Instant MID_FEBRUARY = Instant.parse("2025-02-10T08:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2025-02-20T00:00:00Z");
    private static final Instant LATE_FEBRUARY = Instant.parse("2025-02-25T08:00:00Z");
    private static final Instant JANUARY = Instant.parse("2025-01-15T08:00:00Z");
    private static final Instant NOW = Instant.parse("2025-11-20T00:00:00Z");

    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    private final DynamoDeviceStore devices = new DynamoDeviceStore(dynamo, DynamoDbLocalTable.TABLE);
    private final DynamoStaleDeviceStore store = new DynamoStaleDeviceStore(dynamo, DynamoDbLocalTable.TABLE, devices);
    private final String alice = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String carol = UUID.randomUUID().toString();

    @Test
    void theMonthsDevicesSeenBeforeTheCutoffAreListedOldestFirst() {
        Device later = register(alice, MID_FEBRUARY);
        Device earlier = register(bob, EARLY_FEBRUARY);
        register(carol, LATE_FEBRUARY);
        Device january = register(carol, JANUARY);

        List<Seen> february = seenBefore(FEBRUARY, CUTOFF);

        assertEquals(List.of(new Seen(bob, earlier.id()), new Seen(alice, later.id())), february,
                "a device seen after the cutoff, or in another month, is not listed");
        assertEquals(List.of(new Seen(carol, january.id())), seenBefore(YearMonth.of(2025, 1), CUTOFF));
    }

    @Test
    void aStaleDeviceIsDeactivatedAsStaleAndLeavesTheIndex() {
        Device device = register(alice, MID_FEBRUARY);

        Optional<Boolean> outcome = store.deactivateIfStale(new Seen(alice, device.id()), CUTOFF, NOW);

        assertEquals(Optional.of(true), outcome);
        Device deactivated = devices.find(alice, device.id()).orElseThrow();
        assertFalse(deactivated.active());
        assertEquals(DeactivationReason.STALE, deactivated.deactivatedReason());
        assertEquals(List.of(), devices.activeDevices(alice).targets());
        assertEquals(List.of(), seenBefore(FEBRUARY, CUTOFF));
    }

    @Test
    void aDeviceSeenAgainSinceItWasListedIsLeftAlone() {
        Device device = register(alice, MID_FEBRUARY);
        List<Seen> listed = seenBefore(FEBRUARY, CUTOFF);

        register(alice, device.token(), LATE_FEBRUARY);
        Optional<Boolean> outcome = store.deactivateIfStale(listed.getFirst(), CUTOFF, NOW);

        assertEquals(Optional.of(false), outcome);
        Device seenAgain = devices.find(alice, device.id()).orElseThrow();
        assertTrue(seenAgain.active());
        assertEquals(LATE_FEBRUARY, seenAgain.lastSeenAt());
        assertEquals(List.of(), seenBefore(FEBRUARY, CUTOFF));
    }

    @Test
    void aDeviceDeletedSinceItWasListedNeedsNothing() {
        Device device = register(alice, MID_FEBRUARY);
        List<Seen> listed = seenBefore(FEBRUARY, CUTOFF);

        assertTrue(devices.commit(DevicePlanner.deletion(devices, device.userId(), device.id(), NOW).orElseThrow()));
        Optional<Boolean> outcome = store.deactivateIfStale(listed.getFirst(), CUTOFF, NOW);

        assertEquals(Optional.of(false), outcome);
        assertEquals(Optional.empty(), devices.find(alice, device.id()));
    }

    @Test
    void anInactiveDeviceStillInTheIndexIsTakenOutOfItWithoutAnotherDeactivation() {
        Device device = register(alice, MID_FEBRUARY);
        markInactiveLeavingTheIndexKeys(alice, device.id());

        Optional<Boolean> outcome = store.deactivateIfStale(new Seen(alice, device.id()), CUTOFF, NOW);

        assertEquals(Optional.of(false), outcome);
        assertFalse(deviceItem(alice, device.id()).containsKey(Item.GSI3_PK));
        assertEquals(List.of(), seenBefore(FEBRUARY, CUTOFF));
    }

    private Device register(String userId, Instant seenAt) {
        return register(userId, "token-" + UUID.randomUUID(), seenAt);
    }

    /** A registration at {@code seenAt}, which is when the device was last seen. */
    private Device register(String userId, String pushToken, Instant seenAt) {
        DeviceRegistration registration = new DeviceRegistration(pushToken, "ios", "Phone", true, null)
                .inSession(new DeviceRegistration.InSession("session-1", seenAt));
        DeviceRules.Registration planned = DevicePlanner.registration(devices, userId, registration, false, seenAt);
        assertTrue(devices.commit(planned.plan()));
        return planned.device();
    }

    /** What the index lists for this test's users. */
    private List<Seen> seenBefore(YearMonth month, Instant before) {
        Set<String> ours = Set.of(alice, bob, carol);
        List<Seen> seen = new ArrayList<>();
        store.seenBefore(month, before).forEach(device -> {
            if (ours.contains(device.userId())) {
                seen.add(device);
            }
        });
        return seen;
    }

    /** An inactive device the index still lists, as an item written before deactivation removed the index keys would be. */
    private void markInactiveLeavingTheIndexKeys(String userId, String deviceId) {
        dynamo.updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(userId), Keys.device(deviceId)))
                .updateExpression("SET active = :inactive")
                .expressionAttributeValues(Map.of(":inactive", AttributeValue.fromBool(false))));
    }

    private Map<String, AttributeValue> deviceItem(String userId, String deviceId) {
        return dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE).consistentRead(true)
                .key(Item.keyOf(Keys.user(userId), Keys.device(deviceId)))).item();
    }
}

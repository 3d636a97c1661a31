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
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

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

    /** The users have accounts: a user's own deletion of a device is stored only while the account exists. */
    DynamoStaleDeviceStoreTest() {
        for (String userId : List.of(alice, bob, carol)) {
            dynamo.putItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                    .item(Item.key(Keys.user(userId), Keys.PROFILE).put(Item.TYPE, "user").put("id", userId).values()));
        }
    }

    @Test
    void theMonthsDevicesSeenBeforeTheCutoffAreListed() {
        Device later = register(alice, MID_FEBRUARY);
        Device earlier = register(bob, EARLY_FEBRUARY);
        register(carol, LATE_FEBRUARY);
        Device january = register(carol, JANUARY);

        List<Seen> february = seenBefore(FEBRUARY, CUTOFF);

        assertEquals(Set.of(new Seen(bob, earlier.id()), new Seen(alice, later.id())), Set.copyOf(february),
                "a device seen after the cutoff, or in another month, is not listed");
        assertEquals(2, february.size());
        assertEquals(List.of(new Seen(carol, january.id())), seenBefore(YearMonth.of(2025, 1), CUTOFF));
    }

    @Test
    void aMonthsDevicesAreSpreadOverItsPartitionsAndAllListed() {
        Set<Seen> registered = new HashSet<>();
        Set<String> partitions = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String userId = UUID.randomUUID().toString();
            Device device = register(userId, MID_FEBRUARY.plusSeconds(i));
            registered.add(new Seen(userId, device.id()));
            partitions.add(deviceItem(userId, device.id()).get(Item.GSI3_PK).s());
        }

        assertTrue(partitions.size() > 8, "forty devices of one month land in more than half of its partitions: " + partitions);
        assertTrue(Keys.devicesSeenIn(FEBRUARY).containsAll(partitions));
        Set<Seen> listed = new HashSet<>();
        store.seenBefore(FEBRUARY, CUTOFF).forEach(listed::add);
        assertTrue(listed.containsAll(registered), "every one of them is listed");
    }

    @Test
    void aDeviceListedByAVersionBeforeTheShardsIsListedAndDeactivated() {
        Device device = register(alice, MID_FEBRUARY);
        dynamo.updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(alice), Keys.device(device.id())))
                .updateExpression("SET " + Item.GSI3_PK + " = :month")
                .expressionAttributeValues(Map.of(":month", AttributeValue.fromS("DEVICE_SEEN#2025-02"))));

        assertEquals(List.of(new Seen(alice, device.id())), seenBefore(FEBRUARY, CUTOFF));
        assertEquals(Optional.of(true), store.deactivateIfStale(new Seen(alice, device.id()), CUTOFF, NOW));
        assertEquals(List.of(), seenBefore(FEBRUARY, CUTOFF));
    }

    /**
     * A month with more stale devices than a run has time for: the pruning's first device costs one page of one
     * partition, not the whole partition read into memory before the first deactivation.
     */
    @Test
    void aPartitionIsReadAPageAtATime() {
        YearMonth month = YearMonth.of(2019, 1);
        Instant seen = month.atDay(2).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        String partition = Keys.devicesSeenIn(month).getFirst();
        List<WriteRequest> entries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String deviceId = UUID.randomUUID().toString();
            Instant deviceSeen = seen.plusSeconds(i);
            entries.add(WriteRequest.builder().putRequest(put -> put.item(Map.of(
                    Item.PK, AttributeValue.fromS(Keys.user(alice)),
                    Item.SK, AttributeValue.fromS(Keys.device(deviceId)),
                    Item.GSI3_PK, AttributeValue.fromS(partition),
                    Item.GSI3_SK, AttributeValue.fromS(Keys.deviceSeen(deviceSeen, alice, deviceId))))).build());
        }
        for (int from = 0; from < entries.size(); from += 25) {
            List<WriteRequest> batch = entries.subList(from, Math.min(entries.size(), from + 25));
            dynamo.batchWriteItem(request -> request.requestItems(Map.of(DynamoDbLocalTable.TABLE, batch)));
        }
        AtomicInteger queries = new AtomicInteger();
        DynamoStaleDeviceStore counting = new DynamoStaleDeviceStore(DynamoDbLocalTable.countingQueries(queries), DynamoDbLocalTable.TABLE, devices);
        Instant before = seen.plus(java.time.Duration.ofDays(20));

        Iterator<Seen> listed = counting.seenBefore(month, before).iterator();
        assertEquals(alice, listed.next().userId());
        assertEquals(1, queries.get(), "the first device is on the first page");

        int count = 1;
        while (listed.hasNext()) {
            listed.next();
            count++;
        }
        assertEquals(150, count);
        assertEquals(Keys.devicesSeenIn(month).size() + 1, queries.get(), "two pages of the first partition, one of each other");
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

    /** A stale device of a deleted account, still to be erased: the pruning leaves it to the eraser, with no event. */
    @Test
    void aStaleDeviceOfADeletedAccountIsLeftToTheEraser() {
        Device device = register(alice, MID_FEBRUARY);
        List<Seen> listed = seenBefore(FEBRUARY, CUTOFF);
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(alice), Keys.PROFILE)));

        assertEquals(Optional.of(false), store.deactivateIfStale(listed.getFirst(), CUTOFF, NOW));
        assertTrue(devices.find(alice, device.id()).orElseThrow().active());
    }

    /**
     * The account is deleted after the pruning read that it exists, before its deactivation commits: the commit is
     * refused (asked again, it finds the account gone), or its device.deactivated would follow user.deleted.
     */
    @Test
    void aStaleDeviceWhoseAccountIsDeletedWhileThePruningDecidesIsLeftToTheEraser() {
        Device device = register(alice, MID_FEBRUARY);
        List<Seen> listed = seenBefore(FEBRUARY, CUTOFF);
        DynamoDbClient racing = deletingTheAccountJustAfterItIsRead(alice);
        DynamoStaleDeviceStore pruning = new DynamoStaleDeviceStore(racing, DynamoDbLocalTable.TABLE,
                new DynamoDeviceStore(racing, DynamoDbLocalTable.TABLE));

        assertEquals(Optional.empty(), pruning.deactivateIfStale(listed.getFirst(), CUTOFF, NOW), "refused, to be asked again");
        assertEquals(Optional.of(false), pruning.deactivateIfStale(listed.getFirst(), CUTOFF, NOW));
        assertTrue(devices.find(alice, device.id()).orElseThrow().active(), "the eraser's, as it was");
    }

    /** A client that deletes the user's profile just after its first read of it, as a deletion committing then would. */
    private static DynamoDbClient deletingTheAccountJustAfterItIsRead(String userId) {
        DynamoDbClient dynamo = DynamoDbLocalTable.client();
        AtomicBoolean deleted = new AtomicBoolean();
        Map<String, AttributeValue> profile = Item.keyOf(Keys.user(userId), Keys.PROFILE);
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.isDefault() && args != null && args[0] instanceof Consumer) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    Object answer;
                    try {
                        answer = method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (args != null && args[0] instanceof GetItemRequest read
                            && read.key().equals(profile) && deleted.compareAndSet(false, true)) {
                        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(profile));
                    }
                    return answer;
                });
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

package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.ActiveDevices;
import dev.userservice.devices.DeactivationReason;
import dev.userservice.devices.Device;
import dev.userservice.devices.DevicePlan;
import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceRules;
import dev.userservice.devices.DeviceStore;
import dev.userservice.devices.InactiveDeviceLimit;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The device store's reads, and its commits of planned changes with their conditions, as DynamoDB Local evaluates them. */
class DynamoDeviceStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    private final DynamoDeviceStore store = new DynamoDeviceStore(dynamo, DynamoDbLocalTable.TABLE);
    private final String alice = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String token = "token-" + UUID.randomUUID();

    /** Both users have accounts: a registration in no session is stored only while its account exists. */
    DynamoDeviceStoreTest() {
        for (String userId : List.of(alice, bob)) {
            dynamo.putItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                    .item(Item.key(Keys.user(userId), Keys.PROFILE).put(Item.TYPE, "user").put("id", userId).values()));
        }
    }

    @Test
    void aRegistrationStoresTheDeviceItsClaimAndTheActiveDevicesTogether() {
        Device device = register(alice, token);

        assertEquals(List.of(device), store.list(alice));
        assertEquals(Optional.of(device), store.find(alice, device.id()));
        assertEquals(Optional.of(new DeviceStore.Holder(alice, device.id())), store.holderOf(token));
        assertEquals(new ActiveDevices(List.of(device.target()), 1), store.activeDevices(alice));
        assertTrue(deviceItem(alice, device.id()).containsKey(Item.GSI3_PK), "an active device is in the stale-device index");
    }

    @Test
    void aNewDeviceBeyondTheInactiveLimitDeletesTheOldestInactiveDeviceAndItsClaimInItsTransaction() {
        List<Device> inactive = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Device device = register(alice, token + "-" + i);
            Device off = device.deactivated(DeactivationReason.USER_REQUEST, NOW.plusSeconds(60L * (i + 1)));
            assertTrue(store.commit(DeviceRules.update(device, off, store.activeDevices(alice), NOW)));
            inactive.add(off);
        }

        DeviceRules.Registration added = DevicePlanner.registration(store, alice, registration(token), true, NOW,
                new InactiveDeviceLimit(2));
        assertTrue(store.commit(added.plan()));

        assertEquals(java.util.Set.of(added.device().id(), inactive.get(1).id()),
                java.util.Set.copyOf(store.list(alice).stream().map(Device::id).toList()));
        assertEquals(Optional.empty(), store.find(alice, inactive.getFirst().id()));
        assertEquals(Optional.empty(), store.holderOf(token + "-0"), "the removed device's claim went with it");
        assertEquals(Optional.of(new DeviceStore.Holder(alice, inactive.get(1).id())), store.holderOf(token + "-1"));
    }

    @Test
    void aPlanMadeOnActiveDevicesThatChangedSinceStoresNothing() {
        DevicePlan first = DevicePlanner.registration(store, alice, registration(token), true, NOW).plan();
        DevicePlan second = DevicePlanner.registration(store, alice, registration("other-" + token), true, NOW).plan();

        assertTrue(store.commit(first));
        assertFalse(store.commit(second));

        assertEquals(1, store.list(alice).size());
        assertEquals(Optional.empty(), store.holderOf("other-" + token));
    }

    @Test
    void aClaimTakenSinceItWasReadStoresNothing() {
        DevicePlan late = DevicePlanner.registration(store, alice, registration(token), true, NOW).plan();
        register(bob, token);

        assertFalse(store.commit(late));

        assertEquals(List.of(), store.list(alice));
    }

    @Test
    void aClaimTakenFromAnInactiveHolderWhoseDeviceWasRegisteredAgainSinceStoresNothing() {
        Device bobs = register(bob, token);
        ActiveDevices bobsActive = store.activeDevices(bob);
        assertTrue(store.commit(DeviceRules.update(bobs, bobs.deactivated(DeactivationReason.USER_REQUEST, NOW), bobsActive, NOW)));
        DevicePlan late = DevicePlanner.registration(store, alice, registration(token), true, NOW).plan();
        register(bob, token);

        assertFalse(store.commit(late));

        assertTrue(store.find(bob, bobs.id()).orElseThrow().active());
        assertEquals(List.of(), store.list(alice));
    }

    @Test
    void aMovedTokenDeactivatesTheFormerHoldersDeviceAndTakesItOutOfTheStaleIndex() {
        Device bobs = register(bob, token);

        Device alices = register(alice, token);

        Device moved = store.find(bob, bobs.id()).orElseThrow();
        assertFalse(moved.active());
        assertEquals(DeactivationReason.TOKEN_MOVED, moved.deactivatedReason());
        assertFalse(deviceItem(bob, bobs.id()).containsKey(Item.GSI3_PK));
        assertEquals(List.of(), store.activeDevices(bob).targets());
        assertEquals(2, store.activeDevices(bob).version());
        assertEquals(Optional.of(new DeviceStore.Holder(alice, alices.id())), store.holderOf(token));
    }

    /**
     * The token's holder's account is deleted after the registration planned to deactivate their device: the plan's
     * check of that account refuses it, and the plan made anew moves the claim alone, leaving the device to the eraser.
     */
    @Test
    void aTokenMovedFromAnAccountDeletedMeanwhileMovesTheClaimAloneWhenPlannedAgain() {
        Device bobs = register(bob, token);
        DevicePlan planned = DevicePlanner.registration(store, alice, registration(token), true, NOW).plan();
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(bob), Keys.PROFILE)));

        assertFalse(store.commit(planned));
        DeviceRules.Registration again = DevicePlanner.registration(store, alice, registration(token), true, NOW);
        assertTrue(store.commit(again.plan()));

        assertEquals(Optional.of(new DeviceStore.Holder(alice, again.device().id())), store.holderOf(token));
        assertEquals(Optional.of(bobs), store.find(bob, bobs.id()), "the eraser's, as it was");
        assertEquals(new ActiveDevices(List.of(bobs.target()), 1), store.activeDevices(bob));
        assertEquals(List.of("device.registered"), again.plan().events().stream().map(event -> event.type().wireName()).toList());
    }

    @Test
    void aRegistrationInASessionThatDoesNotLiveStoresNothing() {
        DeviceRegistration inSession = registration(token).inSession(new DeviceRegistration.InSession("no-such-session", NOW));

        assertFalse(store.commit(DevicePlanner.registration(store, alice, inSession, true, NOW).plan()));

        assertEquals(Optional.empty(), store.holderOf(token));
    }

    /** A service registers a device while the account is deleted: its erasure must not be outlived. */
    @Test
    void aRegistrationInNoSessionForAnAccountThatIsGoneStoresNothing() {
        String gone = UUID.randomUUID().toString();

        assertFalse(store.commit(DevicePlanner.registration(store, gone, registration(token), true, NOW).plan()));

        assertEquals(Optional.empty(), store.holderOf(token));
        assertEquals(List.of(), store.list(gone));
    }

    /**
     * The app registers, deletes or switches off a device, or the pruning switches off a stale one, while its account
     * is deleted: the deletion revokes no session item, so the account's own check must refuse it, or its event would
     * follow user.deleted and its device and claim outlive the eraser.
     */
    @Test
    void aChangeOfTheUsersOwnDevicesAfterTheAccountIsGoneStoresNothing() {
        dynamo.putItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .item(Item.key(Keys.user(alice), Keys.session("session-1")).put(Item.TYPE, "session").values()));
        Device kept = register(alice, token);
        DevicePlan registration = DevicePlanner.registration(store, alice,
                registration(token + "-new").inSession(new DeviceRegistration.InSession("session-1", NOW)), true, NOW).plan();
        DevicePlan deletion = DevicePlanner.deletion(store, alice, kept.id(), NOW).orElseThrow();
        DevicePlan switchOff = DeviceRules.deactivateAll(alice, store.activeDevices(alice), DeactivationReason.USER_REQUEST, NOW);
        DevicePlan pruning = DeviceRules.deactivateStale(kept, store.activeDevices(alice), NOW);
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(alice), Keys.PROFILE)));

        assertFalse(store.commit(registration));
        assertFalse(store.commit(deletion));
        assertFalse(store.commit(switchOff));
        assertFalse(store.commit(pruning), "the daily pruning's, planned before the deletion committed");

        assertEquals(Optional.empty(), store.holderOf(token + "-new"));
        assertEquals(List.of(kept), store.list(alice), "the eraser's to delete");
    }

    @Test
    void deletingReleasesTheClaimTheDeviceStillHolds() {
        Device device = register(alice, token);

        assertTrue(store.commit(DevicePlanner.deletion(store, alice, device.id(), NOW).orElseThrow()));

        assertEquals(List.of(), store.list(alice));
        assertEquals(Optional.empty(), store.holderOf(token));
        assertEquals(List.of(), store.activeDevices(alice).targets());
    }

    @Test
    void endingASessionDeactivatesItsDevicesInTheCallersTransaction() {
        Device device = register(alice, token);
        assertEquals(1, store.writesFor(alice, "another-session", NOW).size(), "a session without devices only checks the summary");
        assertTrue(store.writesFor(alice, "another-session", NOW).getFirst().conditionCheck() != null);

        dynamo.transactWriteItems(request -> request.transactItems(store.writesFor(alice, "session-1", NOW)));

        assertEquals(DeactivationReason.SESSION_ENDED, store.find(alice, device.id()).orElseThrow().deactivatedReason());
        assertEquals(List.of(), store.activeDevices(alice).targets());
    }

    @Test
    void aRefusedTokenIsDeactivatedInTheCallersTransaction() {
        Device device = register(alice, token);

        DynamoDeviceStore.TokenDeactivation deactivation =
                store.deactivationOf(token, DeactivationReason.INVALID_TOKEN, NOW, NOW, alice).orElseThrow();
        dynamo.transactWriteItems(request -> request.transactItems(deactivation.writes()));

        assertEquals(alice, deactivation.userId());
        assertEquals(DeactivationReason.INVALID_TOKEN, store.find(alice, device.id()).orElseThrow().deactivatedReason());
        assertEquals(Optional.empty(), store.deactivationOf(token, DeactivationReason.INVALID_TOKEN, NOW, NOW, alice));
    }

    /** A refused token whose device is a deleted account's, still to be erased: deactivated by nobody, no event. */
    @Test
    void aRefusedTokenOfADeletedAccountsDeviceIsLeftToTheEraser() {
        Device device = register(alice, token);
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(alice), Keys.PROFILE)));

        assertEquals(Optional.empty(), store.deactivationOf(token, DeactivationReason.INVALID_TOKEN, NOW, NOW, alice));
        assertTrue(store.find(alice, device.id()).orElseThrow().active());
    }

    /**
     * A token refused in a push to Bob that moved to Alice since: Bob's account is the status's transaction's to check,
     * Alice's is checked here, so her deletion committing meanwhile cancels it and no event follows her deletion.
     */
    @Test
    void aRefusedTokenAnotherUserHoldsIsDeactivatedOnlyWhileTheirAccountExists() {
        Device device = movedFromBobToAlice();
        DynamoDeviceStore.TokenDeactivation deactivation =
                store.deactivationOf(token, DeactivationReason.INVALID_TOKEN, NOW, NOW, bob).orElseThrow();
        dynamo.deleteItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(Item.keyOf(Keys.user(alice), Keys.PROFILE)));

        assertThrows(TransactionCanceledException.class,
                () -> dynamo.transactWriteItems(request -> request.transactItems(deactivation.writes())));
        assertTrue(store.find(alice, device.id()).orElseThrow().active());
    }

    @Test
    void aRefusedTokenAnotherUserHoldsIsDeactivatedWhileTheirAccountExists() {
        Device device = movedFromBobToAlice();
        DynamoDeviceStore.TokenDeactivation deactivation =
                store.deactivationOf(token, DeactivationReason.INVALID_TOKEN, NOW, NOW, bob).orElseThrow();

        dynamo.transactWriteItems(request -> request.transactItems(deactivation.writes()));

        assertEquals(alice, deactivation.userId());
        assertEquals(DeactivationReason.INVALID_TOKEN, store.find(alice, device.id()).orElseThrow().deactivatedReason());
    }

    /** Bob's token, registered by Alice since: her device holds it, his keeps it, inactive. */
    private Device movedFromBobToAlice() {
        register(bob, token);
        return register(alice, token);
    }

    private Device register(String userId, String pushToken) {
        DeviceRules.Registration planned = DevicePlanner.registration(store, userId,
                registration(pushToken).inSession(new DeviceRegistration.InSession("session-1", NOW)), false, NOW);
        assertTrue(store.commit(planned.plan()));
        return planned.device();
    }

    private static DeviceRegistration registration(String pushToken) {
        return new DeviceRegistration(pushToken, "ios", "Phone", true, null);
    }

    private Map<String, AttributeValue> deviceItem(String userId, String deviceId) {
        return dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE).consistentRead(true)
                .key(Item.keyOf(Keys.user(userId), Keys.device(deviceId)))).item();
    }
}

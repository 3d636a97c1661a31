package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The conditions each plan carries, which a store turns into the guards of its transaction. */
class DeviceRulesTest {
    private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final ActiveDevices NONE_ACTIVE = new ActiveDevices(List.of(), 3);

    @Test
    void aMovedTokensClaimIsTakenOnlyFromTheHolderAsRead() {
        Device bobs = device("bob", "device-b", true, "bob-session");
        DeviceStore.Holder bob = new DeviceStore.Holder("bob", "device-b");
        DeviceRules.TokenHolding token = new DeviceRules.TokenHolding(Optional.of(bob), Optional.of(bobs));
        ActiveDevices bobsActive = new ActiveDevices(List.of(bobs.target()), 7);

        DeviceRules.Registration planned = DeviceRules.register("alice", registration(), token, Optional.empty(),
                Map.of("alice", NONE_ACTIVE, "bob", bobsActive), true, NOW);

        DevicePlan plan = planned.plan();
        assertEquals(List.of(new DevicePlan.Claim("token", new DeviceStore.Holder("alice", planned.device().id()), Optional.of(bob))),
                plan.claims());
        assertEquals(List.of(new DevicePlan.LiveSession("alice", "alice-session")), plan.liveSessions());
        assertEquals(List.of(new DevicePlan.Deactivation("bob", bobs.target(), DeactivationReason.TOKEN_MOVED, NOW)),
                plan.deactivations());
        assertEquals(List.of(
                new DevicePlan.ActiveDevicesWrite("bob", bobsActive, List.of()),
                new DevicePlan.ActiveDevicesWrite("alice", NONE_ACTIVE, List.of(planned.device().target()))), plan.activeDevices());
        assertEquals(List.of(new DevicePlan.Stored(planned.device(), true)), plan.stored());
    }

    @Test
    void aFreeTokenIsClaimedOnlyWhileNobodyHoldsIt() {
        DeviceRules.Registration planned = DeviceRules.register("alice", registration(), DeviceRules.TokenHolding.NONE,
                Optional.empty(), Map.of("alice", NONE_ACTIVE), false, NOW);

        assertEquals(Optional.empty(), ((DevicePlan.Claim) planned.plan().claims().getFirst()).replacing());
        assertEquals(List.of(), planned.plan().liveSessions(), "not checked: the session is created with it");
    }

    @Test
    void reRegisteringTheDeviceThatHoldsTheTokenChecksTheClaimWithoutChangingIt() {
        Device own = device("alice", "device-a", true, "alice-session");
        DeviceStore.Holder alice = new DeviceStore.Holder("alice", "device-a");
        DeviceRules.TokenHolding token = new DeviceRules.TokenHolding(Optional.of(alice), Optional.of(own));

        DeviceRules.Registration planned = DeviceRules.register("alice", registration(), token, Optional.of(own),
                Map.of("alice", new ActiveDevices(List.of(own.target()), 1)), true, NOW);

        assertEquals(List.of(new DevicePlan.HeldBy("token", alice)), planned.plan().claims(),
                "a claim read before another user took the token fails the plan");
        assertEquals(List.of(new DevicePlan.Stored(planned.device(), false)), planned.plan().stored());
    }

    @Test
    void aTokenComingBackToAFormerHolderReusesTheirDevice() {
        Device bobs = device("bob", "device-b", true, "bob-session");
        DeviceStore.Holder bob = new DeviceStore.Holder("bob", "device-b");
        Device alicesMovedAway = new Device("device-a", "alice", "token", "ios", "Phone", false, "old-session", EARLIER,
                EARLIER, EARLIER, EARLIER, DeactivationReason.TOKEN_MOVED);
        ActiveDevices bobsActive = new ActiveDevices(List.of(bobs.target()), 7);

        DeviceRules.Registration planned = DeviceRules.register("alice", registration(),
                new DeviceRules.TokenHolding(Optional.of(bob), Optional.of(bobs)), Optional.of(alicesMovedAway),
                Map.of("alice", NONE_ACTIVE, "bob", bobsActive), true, NOW);

        assertEquals(false, planned.created(), "one device per user and token");
        Device device = planned.device();
        assertEquals("device-a", device.id());
        assertEquals("Phone", device.deviceName());
        assertTrue(device.active());
        assertEquals(null, device.deactivatedReason());
        assertEquals("alice-session", device.sessionId());
        assertEquals(List.of(new DevicePlan.Stored(device, false)), planned.plan().stored());
        assertEquals(List.of(new DevicePlan.Claim("token", new DeviceStore.Holder("alice", "device-a"), Optional.of(bob))),
                planned.plan().claims());
        assertEquals(List.of(new DevicePlan.Deactivation("bob", bobs.target(), DeactivationReason.TOKEN_MOVED, NOW)),
                planned.plan().deactivations());
    }

    @Test
    void anInactiveHoldersClaimIsTakenOnlyWhileTheirDeviceStaysInactive() {
        Device bobs = device("bob", "device-b", false, "bob-session");
        DeviceStore.Holder bob = new DeviceStore.Holder("bob", "device-b");
        ActiveDevices bobsActive = new ActiveDevices(List.of(), 7);

        DevicePlan plan = DeviceRules.register("alice", registration(),
                new DeviceRules.TokenHolding(Optional.of(bob), Optional.of(bobs)), Optional.empty(),
                Map.of("alice", NONE_ACTIVE, "bob", bobsActive), true, NOW).plan();

        assertEquals(List.of(bobs), plan.stillInactive(), "a reactivation of Bob's device meanwhile fails the plan");
        assertEquals(List.of(), plan.deactivations());
        assertEquals(List.of("alice"), plan.activeDevices().stream().map(DevicePlan.ActiveDevicesWrite::userId).toList());
    }

    @Test
    void comingBackHoldsOnlyWhileTheDeviceHoldsItsTokenInALiveSession() {
        Device before = device("alice", "device-a", false, "alice-session");
        Device after = DeviceRules.changed(before, new DeviceUpdate(Optional.of(true), false, null), DeactivationReason.USER_REQUEST, NOW).orElseThrow();

        DevicePlan plan = DeviceRules.update(before, after, NONE_ACTIVE, NOW);

        assertEquals(List.of(new DevicePlan.HeldBy("token", new DeviceStore.Holder("alice", "device-a"))), plan.claims());
        assertEquals(List.of(new DevicePlan.LiveSession("alice", "alice-session")), plan.liveSessions());
        assertEquals(List.of(EventType.DEVICE_REGISTERED), plan.events().stream().map(UserEvent::type).toList());
    }

    @Test
    void aDeviceComesBackOnlyAsItWas() {
        Device device = device("alice", "device-a", false, "alice-session");
        DeviceStore.Holder itself = new DeviceStore.Holder("alice", "device-a");

        assertEquals(Optional.empty(), DeviceRules.reactivationRefusal(device, Optional.of(itself), false));
        assertTrue(DeviceRules.reactivationRefusal(device, Optional.of(new DeviceStore.Holder("bob", "x")), false).isPresent());
        assertTrue(DeviceRules.reactivationRefusal(device, Optional.empty(), false).isPresent());
        assertTrue(DeviceRules.reactivationRefusal(device, Optional.of(itself), true).isPresent());
    }

    /** A provider's refusal holds until the app registers the token again: no PATCH switches the token back on. */
    @Test
    void aDeviceWhoseTokenTheProviderRefusedDoesNotComeBack() {
        DeviceStore.Holder itself = new DeviceStore.Holder("alice", "device-a");
        for (DeactivationReason refused : List.of(DeactivationReason.UNREGISTERED, DeactivationReason.INVALID_TOKEN)) {
            Device device = device("alice", "device-a", true, null).deactivated(refused, EARLIER);

            assertEquals(Optional.of("the push provider refused its token; register it again from the device"),
                    DeviceRules.reactivationRefusal(device, Optional.of(itself), false));
        }
    }

    @Test
    void aDeviceSeenBeforeTheCutoffIsStale() {
        Device device = device("alice", "device-a", true, null);

        assertTrue(DeviceRules.isStale(device, EARLIER.plusSeconds(1)));
        assertEquals(false, DeviceRules.isStale(device, EARLIER));
    }

    private static DeviceRegistration registration() {
        return new DeviceRegistration("token", "ios", null, true, new DeviceRegistration.InSession("alice-session", NOW));
    }

    private static Device device(String userId, String id, boolean active, String sessionId) {
        return new Device(id, userId, "token", "ios", null, active, sessionId, sessionId == null ? null : EARLIER,
                EARLIER, EARLIER, EARLIER, active ? null : DeactivationReason.USER_REQUEST);
    }
}

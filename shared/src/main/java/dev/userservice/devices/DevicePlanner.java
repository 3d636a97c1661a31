package dev.userservice.devices;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a rule of {@link DeviceRules} needs from a {@link DeviceStore} and asks the rule: the one place that
 * knows what each change reads, for the device service and for stores that put a device change into a transaction
 * of their own (a signup's, a session end's, a delivery status's).
 */
public final class DevicePlanner {
    private DevicePlanner() {}

    /**
     * Plans a registration in an account that has no inactive devices to limit (a new account's, at signup): who
     * holds the token, their device, and the active devices of every user it may touch.
     */
    public static DeviceRules.Registration registration(DeviceStore store, String userId, DeviceRegistration registration,
                                                        boolean sessionChecked, Instant now) {
        return registration(store, userId, registration, sessionChecked, now, Optional.empty());
    }

    /**
     * Plans a registration as {@link #registration(DeviceStore, String, DeviceRegistration, boolean, Instant)} does;
     * one that adds a device also reads the user's devices, and the token holders of the inactive ones the limit removes.
     */
    public static DeviceRules.Registration registration(DeviceStore store, String userId, DeviceRegistration registration,
                                                        boolean sessionChecked, Instant now, InactiveDeviceLimit limit) {
        return registration(store, userId, registration, sessionChecked, now, Optional.of(limit));
    }

    private static DeviceRules.Registration registration(DeviceStore store, String userId, DeviceRegistration registration,
                                                         boolean sessionChecked, Instant now, Optional<InactiveDeviceLimit> limit) {
        DeviceRules.TokenHolding token = holding(store, registration.token());
        Map<String, ActiveDevices> active = new LinkedHashMap<>();
        DeviceRules.usersTouchedByRegistration(userId, token).forEach(user -> active.put(user, store.activeDevices(user)));
        boolean addsDevice = token.device().filter(device -> device.userId().equals(userId)).isEmpty();
        List<DeviceRules.Removal> removals = limit.filter(any -> addsDevice)
                .map(inactiveLimit -> inactiveLimit.removedByNewDevice(
                        store.list(userId).stream().filter(device -> !device.active()).toList()))
                .orElse(List.of()).stream()
                .map(device -> new DeviceRules.Removal(device, store.holderOf(device.token())))
                .toList();
        return DeviceRules.register(userId, registration, token, active, removals, sessionChecked, now);
    }

    /** Plans deleting the device, with its token's claim while the device still holds it. */
    public static DevicePlan deletion(DeviceStore store, Device device, Instant now) {
        return DeviceRules.delete(device, store.holderOf(device.token()), store.activeDevices(device.userId()), now);
    }

    /** Plans deactivating the active device holding {@code token}; empty when none does. */
    public static Optional<DevicePlan> deactivationOfToken(DeviceStore store, String token, DeactivationReason reason, Instant now) {
        return holding(store, token).device().filter(Device::active)
                .map(device -> DeviceRules.deactivate(device, reason, store.activeDevices(device.userId()), now));
    }

    /** Plans deactivating the session's active devices; a plan without deactivations when it has none. */
    public static DevicePlan sessionEnd(DeviceStore store, String userId, String sessionId, Instant now) {
        return DeviceRules.sessionEnded(userId, sessionId, store.activeDevices(userId), now);
    }

    private static DeviceRules.TokenHolding holding(DeviceStore store, String token) {
        Optional<DeviceStore.Holder> holder = store.holderOf(token);
        return new DeviceRules.TokenHolding(holder, holder.flatMap(held -> store.find(held.userId(), held.deviceId())));
    }
}

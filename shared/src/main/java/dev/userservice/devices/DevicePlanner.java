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
 *
 * <p>A user's active devices are read before any device of theirs. Every device write raises their version and a
 * plan is written on the version it read, so a device read after it cannot have changed unseen before the commit;
 * read the other way round, a change landing between the two reads would leave the plan resting on a stale device.
 */
public final class DevicePlanner {
    private DevicePlanner() {}

    /**
     * Plans a registration in an account that has no inactive devices to limit (a new account's, at signup): the
     * user's active devices, who holds the token, the holder's active devices and device, the user's own device for
     * the token, in that order.
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
        Map<String, ActiveDevices> active = new LinkedHashMap<>();
        active.put(userId, store.activeDevices(userId));
        DeviceRules.TokenHolding held = holding(store, registration.token(), active);
        // Read only when the token would move from another user's active device: a deleted account's keeps it for the eraser.
        boolean holderDeleted = held.device().filter(device -> device.active() && !device.userId().equals(userId))
                .map(device -> !store.accountExists(device.userId())).orElse(false);
        DeviceRules.TokenHolding token = new DeviceRules.TokenHolding(held.holder(), held.device(), holderDeleted);
        Optional<Device> own = usersDevice(store, userId, registration.token(), token.device());
        List<DeviceRules.Removal> removals = limit.filter(any -> own.isEmpty())
                .map(inactiveLimit -> inactiveLimit.removedByNewDevice(
                        store.list(userId).stream().filter(device -> !device.active()).toList()))
                .orElse(List.of()).stream()
                .map(device -> new DeviceRules.Removal(device, store.holderOf(device.token())))
                .toList();
        return DeviceRules.register(userId, registration, token, own, active, removals, sessionChecked, now);
    }

    /** Plans deleting the user's device, with its token's claim while the device still holds it; empty when there is no such device. */
    public static Optional<DevicePlan> deletion(DeviceStore store, String userId, String deviceId, Instant now) {
        ActiveDevices active = store.activeDevices(userId);
        return store.find(userId, deviceId)
                .map(device -> DeviceRules.delete(device, store.holderOf(device.token()), active, now));
    }

    /**
     * Plans deactivating the active device holding {@code token}, which its push provider refused at {@code refusedAt}
     * in a push to {@code reportedUser} (whose account the caller's transaction checks); empty when none does, when
     * the token was registered since (a provider's refusal holds until the app registers the token again, APNs' own
     * rule, and a late or redelivered report must not switch off the device that did, whoever holds the token now),
     * when the device's account was deleted, or when the token was never the reported user's: another's device is
     * switched off only when the token moved to it from the reported user's, whose device for it is still stored, so
     * a report naming the wrong user leaves a stranger's pushes alone.
     *
     * <p>The account is read, not required by the plan: a status's own transaction may already check the same
     * account, and DynamoDB takes one action per item.
     */
    public static Optional<DevicePlan> deactivationOfToken(DeviceStore store, String token, DeactivationReason reason,
                                                           Instant refusedAt, Instant now, String reportedUser) {
        Map<String, ActiveDevices> active = new LinkedHashMap<>();
        return holding(store, token, active).device().filter(Device::active)
                .filter(device -> !device.lastSeenAt().isAfter(refusedAt))
                .filter(device -> usersDevice(store, reportedUser, token, Optional.of(device)).isPresent())
                .filter(device -> store.accountExists(device.userId()))
                .map(device -> DeviceRules.deactivate(device, reason, active.get(device.userId()), now, reportedUser));
    }

    /** The user's device for the token, wherever it is found: see {@link #usersDevice(DeviceStore, String, String, Optional)}. */
    public static Optional<Device> usersDevice(DeviceStore store, String userId, String token) {
        return usersDevice(store, userId, token, store.holderOf(token).flatMap(held -> store.find(held.userId(), held.deviceId())));
    }

    /**
     * The user's device for the token: the one the token's claim names ({@code claimed}) when it is the user's, since
     * a device made before ids were derived from user and token is found only so; else the one its id derives to.
     */
    private static Optional<Device> usersDevice(DeviceStore store, String userId, String token, Optional<Device> claimed) {
        return claimed.filter(held -> held.userId().equals(userId)).or(() -> store.find(userId, DeviceRegistration.deviceId(userId, token)));
    }

    /** Who holds the token and the device its claim names, the holder's active devices read into {@code active} before it. */
    private static DeviceRules.TokenHolding holding(DeviceStore store, String token, Map<String, ActiveDevices> active) {
        Optional<DeviceStore.Holder> holder = store.holderOf(token);
        holder.ifPresent(held -> active.computeIfAbsent(held.userId(), store::activeDevices));
        return new DeviceRules.TokenHolding(holder, holder.flatMap(held -> store.find(held.userId(), held.deviceId())));
    }
}

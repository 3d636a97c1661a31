package dev.userservice.devices;

import dev.userservice.events.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Devices kept in memory with the DynamoDB store's conditions: a plan is stored whole only when every device,
 * claim, session and active-devices version is still as read, else nothing is stored. Answers are copies (the
 * records are immutable), as a database's would be. The events of the stored plans are kept in order.
 */
final class InMemoryDeviceStore implements DeviceStore {
    private final Map<String, Map<String, Device>> devices = new HashMap<>();
    private final Map<String, Holder> claims = new HashMap<>();
    private final Map<String, ActiveDevices> active = new HashMap<>();
    private final DeviceSessions sessions;
    final List<UserEvent> events = new ArrayList<>();
    /** Runs before the next commit checks its conditions, once: a concurrent writer getting in first. */
    Runnable beforeNextCommit = () -> {};
    /** Run after the next read of a token's claim, or of a device, once: a concurrent writer between a plan's reads. */
    Runnable afterNextClaimRead = () -> {};
    Runnable afterNextDeviceRead = () -> {};
    int commits;
    /** Whether a user's account exists, for the plans that require it; every account does unless a test says otherwise. */
    java.util.function.Predicate<String> accountExists = userId -> true;

    InMemoryDeviceStore(DeviceSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public synchronized List<Device> list(String userId) {
        return devices.getOrDefault(userId, Map.of()).values().stream()
                .sorted(Comparator.comparing(Device::createdAt).thenComparing(Device::id).reversed())
                .toList();
    }

    @Override
    public synchronized Optional<Device> find(String userId, String deviceId) {
        Optional<Device> device = Optional.ofNullable(devices.getOrDefault(userId, Map.of()).get(deviceId));
        Runnable concurrent = afterNextDeviceRead;
        afterNextDeviceRead = () -> {};
        concurrent.run();
        return device;
    }

    @Override
    public synchronized Optional<Holder> holderOf(String token) {
        Optional<Holder> holder = Optional.ofNullable(claims.get(token));
        Runnable concurrent = afterNextClaimRead;
        afterNextClaimRead = () -> {};
        concurrent.run();
        return holder;
    }

    @Override
    public synchronized ActiveDevices activeDevices(String userId) {
        return active.getOrDefault(userId, ActiveDevices.NONE);
    }

    @Override
    public boolean accountExists(String userId) {
        return accountExists.test(userId);
    }

    @Override
    public synchronized boolean commit(DevicePlan plan) {
        Runnable concurrent = beforeNextCommit;
        beforeNextCommit = () -> {};
        concurrent.run();
        if (!holds(plan)) {
            return false;
        }
        commits++;
        plan.stored().forEach(stored -> put(stored.device()));
        plan.deactivations().forEach(deactivation -> find(deactivation.userId(), deactivation.device().deviceId())
                .ifPresent(device -> put(device.deactivated(deactivation.reason(), deactivation.at()))));
        plan.deleted().forEach(device -> devices.get(device.userId()).remove(device.id()));
        for (DevicePlan.ClaimChange change : plan.claims()) {
            switch (change) {
                case DevicePlan.Claim claim -> claims.put(claim.token(), claim.holder());
                case DevicePlan.Release release -> claims.remove(release.token());
                case DevicePlan.HeldBy held -> { }
            }
        }
        plan.activeDevices().forEach(write ->
                active.put(write.userId(), new ActiveDevices(write.targets(), write.read().version() + 1)));
        events.addAll(plan.events());
        return true;
    }

    /** Another writer changes the user's active devices (only their version), as a concurrent change would. */
    synchronized void touchedConcurrently(String userId) {
        ActiveDevices read = activeDevices(userId);
        active.put(userId, new ActiveDevices(read.targets(), read.version() + 1));
    }

    /** Another writer renames the device without going through the service, so nothing forgets the cached list. */
    synchronized void rename(String userId, String deviceId, String name) {
        put(find(userId, deviceId).orElseThrow().withName(name, Instant.EPOCH));
    }

    private boolean holds(DevicePlan plan) {
        if (!plan.accounts().stream().allMatch(accountExists)) {
            return false;
        }
        for (DevicePlan.Stored stored : plan.stored()) {
            boolean exists = find(stored.device().userId(), stored.device().id()).isPresent();
            if (exists == stored.created()) {
                return false;
            }
        }
        for (DevicePlan.Deactivation deactivation : plan.deactivations()) {
            if (find(deactivation.userId(), deactivation.device().deviceId()).isEmpty()) {
                return false;
            }
        }
        for (Device device : plan.deleted()) {
            if (find(device.userId(), device.id()).isEmpty()) {
                return false;
            }
        }
        for (Device device : plan.stillInactive()) {
            if (find(device.userId(), device.id()).map(Device::active).orElse(true)) {
                return false;
            }
        }
        for (DevicePlan.ClaimChange change : plan.claims()) {
            Optional<Holder> current = holderOf(change.token());
            boolean asRead = switch (change) {
                case DevicePlan.Claim claim -> current.equals(claim.replacing());
                case DevicePlan.Release release -> current.equals(Optional.of(release.holder()));
                case DevicePlan.HeldBy held -> current.equals(Optional.of(held.holder()));
            };
            if (!asRead) {
                return false;
            }
        }
        for (DevicePlan.LiveSession session : plan.liveSessions()) {
            if (sessions.live(session.userId(), session.sessionId()).isEmpty()) {
                return false;
            }
        }
        for (DevicePlan.ActiveDevicesWrite write : plan.activeDevices()) {
            if (activeDevices(write.userId()).version() != write.read().version()) {
                return false;
            }
        }
        return true;
    }

    private void put(Device device) {
        devices.computeIfAbsent(device.userId(), id -> new LinkedHashMap<>()).put(device.id(), device);
    }
}

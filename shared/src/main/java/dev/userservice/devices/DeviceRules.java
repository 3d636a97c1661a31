package dev.userservice.devices;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of device changes, decided from what was read and nothing else: what a registration, an update, a
 * deletion or a deactivation writes (a token another user holds moves to the registering user, a device over the
 * limit gives way, a deactivated device comes back only as it was) and which events fire. No reads, no writes: a
 * {@link DevicePlan} says what to commit.
 */
public final class DeviceRules {
    private DeviceRules() {}

    /**
     * Who holds a push token, as read, the device the claim names (empty when it names none that exists), and whether
     * the holder's account was deleted (its devices waiting for the eraser).
     */
    public record TokenHolding(Optional<DeviceStore.Holder> holder, Optional<Device> device, boolean holderDeleted) {
        public static final TokenHolding NONE = new TokenHolding(Optional.empty(), Optional.empty());

        /** A holding whose holder's account exists, or that has no holder. */
        public TokenHolding(Optional<DeviceStore.Holder> holder, Optional<Device> device) {
            this(holder, device, false);
        }
    }

    /** An inactive device the registration removes to stay under {@link InactiveDeviceLimit}, and who holds its token, as read. */
    public record Removal(Device device, Optional<DeviceStore.Holder> tokenHolder) {}

    /** A registration's outcome: the device it leaves the user with, whether it is new, and what it writes. */
    public record Registration(Device device, boolean created, DevicePlan plan) {}

    /**
     * Registers the token for {@code userId}: the user's device for it is updated (even one the token moved away
     * from, so a user has one device per token), or a new device is made; a token another user's active device
     * holds moves ({@code token_moved}; from a deleted account's device, whose changes are the eraser's, the claim
     * alone moves, with no event after the account's {@code user.deleted}); an active device over the limit makes the
     * least recently seen one give way ({@code evicted_limit}); {@code device.registered} fires whenever the device
     * is active after it. With {@code sessionChecked}, a registration in a session holds only while that session
     * lives, and one in none only while the account exists (at signup the account and its session are created in the
     * same transaction, so there is nothing to check).
     *
     * <p>The plan holds only while everything it was decided on is as read: the claim's holder (checked even when
     * it stays), the moved device's user's active devices, and an inactive holder's device still inactive, so a plan
     * built on a read that a concurrent registration made stale fails and is planned anew.
     *
     * @param own    the user's device for the token, active or not, whoever holds the token now
     * @param active the active devices of the user and of the token's holder, each read before their devices
     */
    public static Registration register(String userId, DeviceRegistration registration, TokenHolding token,
                                        Optional<Device> own, Map<String, ActiveDevices> active, boolean sessionChecked,
                                        Instant now) {
        return register(userId, registration, token, own, active, List.of(), sessionChecked, now);
    }

    /**
     * {@link #register(String, DeviceRegistration, TokenHolding, Optional, Map, boolean, Instant)}, removing
     * {@code removals} too: the user's inactive devices removed for room ({@link InactiveDeviceLimit}), each with its
     * token's claim while it still holds it.
     */
    public static Registration register(String userId, DeviceRegistration registration, TokenHolding token,
                                        Optional<Device> own, Map<String, ActiveDevices> active, List<Removal> removals,
                                        boolean sessionChecked, Instant now) {
        DevicePlan.Builder plan = new DevicePlan.Builder(active, now);
        removals.forEach(removal -> removeInactive(plan, removal));
        Device device = registration.applyTo(own, userId, now);
        movedFrom(userId, token).ifPresent(moved -> {
            plan.requireAccount(moved.userId()); // a deletion committing meanwhile makes it a claim's move alone, planned anew
            plan.deactivate(moved.userId(), moved.target(), DeactivationReason.TOKEN_MOVED);
        });
        token.device().filter(held -> !held.userId().equals(userId) && !held.active())
                .ifPresent(plan::requireInactive);
        DeviceStore.Holder holder = new DeviceStore.Holder(userId, device.id());
        if (token.holder().equals(Optional.of(holder))) {
            plan.claim(new DevicePlan.HeldBy(registration.token(), holder));
        } else {
            plan.claim(new DevicePlan.Claim(registration.token(), holder, token.holder()));
        }
        // Stored only while its account exists, and a device of a session only while the session lives: a deletion
        // revokes no session item, so a registration racing it would outlive the eraser, with its token claim, and
        // publish device.registered after user.deleted.
        if (sessionChecked) {
            plan.requireAccount(userId);
            if (registration.session() != null) {
                plan.requireLiveSession(userId, registration.session().id());
            }
        }
        store(plan, own, device, true);
        return new Registration(device, own.isEmpty(), plan.build());
    }

    /**
     * The device as {@code change} leaves it: renamed (a null name removes it), deactivated (for {@code reason}: the
     * user's request or an admin's) or reactivated in the session it had; empty when nothing changes.
     */
    public static Optional<Device> changed(Device before, DeviceUpdate change, DeactivationReason reason, Instant now) {
        Device after = before;
        if (change.renamed() && !Objects.equals(change.deviceName(), before.deviceName())) {
            after = after.withName(change.deviceName(), now);
        }
        if (change.active().isPresent() && change.active().get() != before.active()) {
            after = change.active().get() ? after.reactivated(now) : after.deactivated(reason, now);
        }
        return after == before ? Optional.empty() : Optional.of(after);
    }

    /**
     * Why a deactivated device cannot come back, if it cannot: it comes back only as it was, holding its token
     * (which another user may have registered since) and in a session that still lives, and not once the push
     * provider refused its token: that refusal holds until the app registers the token again, which it does only
     * with a token the provider knows. Otherwise the app must register the token again.
     */
    public static Optional<String> reactivationRefusal(Device device, Optional<DeviceStore.Holder> holder, boolean sessionEnded) {
        if (device.deactivatedReason() != null && device.deactivatedReason().isProviderRefusal()) {
            return Optional.of("the push provider refused its token; register it again from the device");
        }
        if (!holder.equals(Optional.of(new DeviceStore.Holder(device.userId(), device.id())))) {
            return Optional.of("its token is now registered to another account; register it again from the device");
        }
        if (sessionEnded) {
            return Optional.of("the session it was registered in has ended; register it again from the device");
        }
        return Optional.empty();
    }

    /**
     * Replaces {@code before} with {@code after}, with their events: {@code device.registered} when it comes back,
     * {@code device.deactivated} when it stops. Coming back holds only while the device still holds its token and
     * its session (if any) lives; any change only while the account exists.
     */
    public static DevicePlan update(Device before, Device after, ActiveDevices active, Instant now) {
        DevicePlan.Builder plan = new DevicePlan.Builder(Map.of(after.userId(), active), now);
        plan.requireAccount(after.userId());
        store(plan, Optional.of(before), after, false);
        if (after.active() && !before.active()) {
            plan.claim(new DevicePlan.HeldBy(after.token(), new DeviceStore.Holder(after.userId(), after.id())));
            if (after.sessionId() != null) {
                plan.requireLiveSession(after.userId(), after.sessionId());
            }
        }
        return plan.build();
    }

    /** Deletes the device ({@code device.deactivated}, {@code user_request}, if it was active), and its token's claim while it still holds it. */
    public static DevicePlan delete(Device device, Optional<DeviceStore.Holder> tokenHolder, ActiveDevices active, Instant now) {
        DevicePlan.Builder plan = new DevicePlan.Builder(Map.of(device.userId(), active), now);
        // A deleted account's devices are the eraser's, with no event after user.deleted.
        plan.requireAccount(device.userId());
        plan.delete(device);
        plan.touch(device.userId()).removeIf(target -> target.deviceId().equals(device.id()));
        if (device.active()) {
            plan.publish(DeviceEvents.deactivated(device.userId(), device.target(), DeactivationReason.USER_REQUEST, now));
        }
        DeviceStore.Holder holder = new DeviceStore.Holder(device.userId(), device.id());
        if (tokenHolder.equals(Optional.of(holder))) {
            plan.claim(new DevicePlan.Release(device.token(), holder));
        }
        return plan.build();
    }

    /** Deactivates every active device of the user for {@code reason}; a plan with no deactivation when there is none. */
    public static DevicePlan deactivateAll(String userId, ActiveDevices active, DeactivationReason reason, Instant now) {
        DevicePlan.Builder plan = deactivating(userId, active.targets(), active, reason, now);
        plan.requireAccount(userId); // as for a deletion
        return plan.build();
    }

    /** Deactivates the active devices registered in the session, {@code session_ended}; a plan with no deactivation when there is none. */
    public static DevicePlan sessionEnded(String userId, String sessionId, ActiveDevices active, Instant now) {
        List<PushTarget> ofSession = active.targets().stream()
                .filter(target -> sessionId.equals(target.sessionId()))
                .toList();
        return deactivating(userId, ofSession, active, DeactivationReason.SESSION_ENDED, now).build();
    }

    /**
     * Deactivates one active device for {@code reason} (a push provider refused its token), in a transaction of the
     * caller's that checks {@code checkedAccount}'s account. The device may be another's (the token moved to them):
     * theirs is checked here, so that a deletion committing meanwhile publishes no event after {@code user.deleted}.
     */
    public static DevicePlan deactivate(Device device, DeactivationReason reason, ActiveDevices active, Instant now,
                                        String checkedAccount) {
        DevicePlan.Builder plan = deactivating(device.userId(), List.of(device.target()), active, reason, now);
        if (!device.userId().equals(checkedAccount)) {
            plan.requireAccount(device.userId()); // one check of an item per transaction: the caller's covers its own
        }
        return plan.build();
    }

    /** Deactivates one active device that went {@code stale}, in a transaction of its own: only while its account exists. */
    public static DevicePlan deactivateStale(Device device, ActiveDevices active, Instant now) {
        DevicePlan.Builder plan = deactivating(device.userId(), List.of(device.target()), active, DeactivationReason.STALE, now);
        plan.requireAccount(device.userId()); // as for a deletion
        return plan.build();
    }

    /** Whether a device last seen before {@code cutoff} is stale. */
    public static boolean isStale(Device device, Instant cutoff) {
        return device.lastSeenAt().isBefore(cutoff);
    }

    private static DevicePlan.Builder deactivating(String userId, List<PushTarget> devices, ActiveDevices active,
                                                   DeactivationReason reason, Instant now) {
        DevicePlan.Builder plan = new DevicePlan.Builder(Map.of(userId, active), now);
        devices.forEach(device -> plan.deactivate(userId, device, reason));
        return plan;
    }

    /** Removes an inactive device, with its token's claim while it still holds it; no event: it receives no pushes. */
    private static void removeInactive(DevicePlan.Builder plan, Removal removal) {
        Device device = removal.device();
        if (device.active()) {
            throw new IllegalArgumentException("only inactive devices are removed for room");
        }
        plan.delete(device);
        DeviceStore.Holder holder = new DeviceStore.Holder(device.userId(), device.id());
        if (removal.tokenHolder().equals(Optional.of(holder))) {
            plan.claim(new DevicePlan.Release(device.token(), holder));
        }
    }

    /** The active device of another user, whose account exists, that holds the token, which the registration takes it from. */
    private static Optional<Device> movedFrom(String userId, TokenHolding token) {
        return token.device().filter(device -> !device.userId().equals(userId)).filter(Device::active)
                .filter(device -> !token.holderDeleted());
    }

    /**
     * Writes the device as {@code after}, keeps the user's active devices in step (evicting for room when it becomes
     * or stays active), and adds the events of what changed for a sender: a registration or reactivation, a
     * deactivation.
     */
    private static void store(DevicePlan.Builder plan, Optional<Device> before, Device after, boolean registration) {
        plan.store(after, before.isEmpty());
        List<PushTarget> active = plan.touch(after.userId());
        active.removeIf(target -> target.deviceId().equals(after.id()));
        boolean wasActive = before.map(Device::active).orElse(false);
        if (after.active()) {
            DeviceLimit.evictedBy(active).forEach(evicted ->
                    plan.deactivate(after.userId(), evicted, DeactivationReason.EVICTED_LIMIT));
            active.add(after.target());
            if (registration || !wasActive) {
                plan.publish(DeviceEvents.registered(after, plan.now()));
            }
        } else if (wasActive) {
            plan.publish(DeviceEvents.deactivated(after.userId(), before.get().target(), after.deactivatedReason(), plan.now()));
        }
    }
}

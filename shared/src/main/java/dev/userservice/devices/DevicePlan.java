package dev.userservice.devices;

import dev.userservice.events.UserEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one change of devices writes, as {@link DeviceRules} decided it from what was read; a store commits all of it
 * in one transaction, each write on condition that what it replaces is still as read, or none of it.
 *
 * @param stored        devices written whole: new ones (which must not exist yet) and changed ones (which must)
 * @param deactivations active devices that stop receiving pushes (the device must still exist)
 * @param deleted       devices removed (the device must still exist)
 * @param stillInactive inactive devices the change leaves alone, which must still be inactive for it to hold
 * @param claims        changes and checks of who holds a push token
 * @param liveSessions  sessions that must still live for the change to hold
 * @param accounts      users whose accounts must still exist for the change to hold
 * @param activeDevices the active devices of every user the change touches, written on the version read
 * @param events        the events of the change, published with it
 */
public record DevicePlan(
        List<Stored> stored,
        List<Deactivation> deactivations,
        List<Device> deleted,
        List<Device> stillInactive,
        List<ClaimChange> claims,
        List<LiveSession> liveSessions,
        List<String> accounts,
        List<ActiveDevicesWrite> activeDevices,
        List<UserEvent> events) {

    public DevicePlan {
        stored = List.copyOf(stored);
        deactivations = List.copyOf(deactivations);
        deleted = List.copyOf(deleted);
        stillInactive = List.copyOf(stillInactive);
        claims = List.copyOf(claims);
        liveSessions = List.copyOf(liveSessions);
        accounts = List.copyOf(accounts);
        activeDevices = List.copyOf(activeDevices);
        events = List.copyOf(events);
    }

    /** A device written whole; {@code created} when it must not exist yet. */
    public record Stored(Device device, boolean created) {}

    /** The device of {@code userId} named by {@code device} stops receiving pushes, for {@code reason}, {@code at} that instant. */
    public record Deactivation(String userId, PushTarget device, DeactivationReason reason, Instant at) {}

    /** A change or a check of who holds a push token. */
    public sealed interface ClaimChange {
        String token();
    }

    /** The token is held by {@code holder} from now on, if it is still held as read ({@code replacing}; empty: by nobody). */
    public record Claim(String token, DeviceStore.Holder holder, Optional<DeviceStore.Holder> replacing) implements ClaimChange {}

    /** The token is held by nobody from now on, if {@code holder} still holds it. */
    public record Release(String token, DeviceStore.Holder holder) implements ClaimChange {}

    /** The change holds only while {@code holder} still holds the token. */
    public record HeldBy(String token, DeviceStore.Holder holder) implements ClaimChange {}

    /** The change holds only while the user's session lives. */
    public record LiveSession(String userId, String sessionId) {}

    /** The user's active devices become {@code targets}, if they are still as {@code read}. */
    public record ActiveDevicesWrite(String userId, ActiveDevices read, List<PushTarget> targets) {
        public ActiveDevicesWrite {
            targets = List.copyOf(targets);
        }
    }

    /** Every user whose devices the change touches (their cached views are forgotten once it is stored). */
    public Set<String> changedUsers() {
        return Set.copyOf(activeDevices.stream().map(ActiveDevicesWrite::userId).toList());
    }

    /**
     * A plan being put together by the rules: the users' active devices as read, changed in memory as devices are
     * written, and the events, in the order the rules add them.
     */
    static final class Builder {
        private final Map<String, ActiveDevices> read;
        private final Instant now;
        private final List<Stored> stored = new ArrayList<>();
        private final List<Deactivation> deactivations = new ArrayList<>();
        private final List<Device> deleted = new ArrayList<>();
        private final List<Device> stillInactive = new ArrayList<>();
        private final List<ClaimChange> claims = new ArrayList<>();
        private final List<LiveSession> liveSessions = new ArrayList<>();
        private final List<String> accounts = new ArrayList<>();
        private final Map<String, List<PushTarget>> touched = new LinkedHashMap<>();
        private final List<UserEvent> events = new ArrayList<>();

        Builder(Map<String, ActiveDevices> read, Instant now) {
            this.read = Map.copyOf(read);
            this.now = now;
        }

        /**
         * The user's active devices as this change leaves them, a live list; the user's devices are written by the
         * change from now on, even if the list stays as read, so that no concurrent change slips in between.
         */
        List<PushTarget> touch(String userId) {
            return touched.computeIfAbsent(userId, id -> {
                ActiveDevices devices = read.get(id);
                if (devices == null) {
                    throw new IllegalStateException("the active devices of a user the change touches were not read");
                }
                return new ArrayList<>(devices.targets());
            });
        }

        Instant now() {
            return now;
        }

        void store(Device device, boolean created) {
            stored.add(new Stored(device, created));
        }

        void deactivate(String userId, PushTarget device, DeactivationReason reason) {
            deactivations.add(new Deactivation(userId, device, reason, now));
            touch(userId).removeIf(active -> active.deviceId().equals(device.deviceId()));
            events.add(DeviceEvents.deactivated(userId, device, reason, now));
        }

        void delete(Device device) {
            deleted.add(device);
        }

        void requireInactive(Device device) {
            stillInactive.add(device);
        }

        void claim(ClaimChange change) {
            claims.add(change);
        }

        void requireLiveSession(String userId, String sessionId) {
            liveSessions.add(new LiveSession(userId, sessionId));
        }

        void requireAccount(String userId) {
            accounts.add(userId);
        }

        void publish(UserEvent event) {
            events.add(event);
        }

        DevicePlan build() {
            List<ActiveDevicesWrite> writes = new ArrayList<>();
            touched.forEach((userId, targets) -> writes.add(new ActiveDevicesWrite(userId, read.get(userId), targets)));
            return new DevicePlan(stored, deactivations, deleted, stillInactive, claims, liveSessions, accounts, writes, events);
        }
    }
}

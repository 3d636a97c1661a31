package dev.userservice.devices;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where devices live. A push token belongs to at most one user, kept so by an item of its own written with the
 * device; every write also rewrites the user's summary of active devices, on condition that nobody changed it since
 * it was read, so concurrent writes to one user's devices never interleave. Writes answer empty, with nothing
 * stored, when such a concurrent change got in the way: the caller reads again and retries.
 */
public interface DeviceStore {

    /** A stored write: the device as it now is, whether it is new, and every user whose devices it changed. */
    record Written(Device device, boolean created, Set<String> changedUsers) {}

    /** Who holds a push token: the user and the device. */
    record Holder(String userId, String deviceId) {}

    /** The user's devices, active or not, newest first. */
    List<Device> list(String userId);

    Optional<Device> find(String userId, String deviceId);

    Optional<Holder> holderOf(String token);

    /**
     * Registers a token for the user, in one transaction with its events: updates the user's device holding it, or
     * creates one; a token another user holds moves (their device is deactivated, {@code token_moved}); an active
     * device over the limit makes the least recently seen one give way ({@code evicted_limit}). A registration in a
     * session is stored only while that session lives.
     */
    Optional<Written> register(String userId, DeviceRegistration registration, Instant now);

    /**
     * Replaces {@code before} with {@code after}, with their events. Reactivating stores only while the user still
     * holds the token through this device and the device's session (if any) lives.
     */
    Optional<Written> update(Device before, Device after, Instant now);

    /** Deletes the device, its summary entry, and its token's claim if it still holds it. */
    Optional<Written> delete(Device device, Instant now);

    /** Deactivates every active device of the user for {@code reason}; how many. */
    Optional<Integer> deactivateAll(String userId, DeactivationReason reason, Instant now);
}

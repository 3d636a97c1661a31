package dev.userservice.devices;

import java.util.List;
import java.util.Optional;

/**
 * Where devices live. A push token belongs to at most one user, kept so by a claim of its own written with the
 * device; every change also rewrites the active devices of each user it touches, on condition that nobody changed
 * them since they were read, so concurrent changes of one user's devices never interleave. The store decides
 * nothing: {@link DeviceRules} plans a change from what was read here, and the store commits it.
 */
public interface DeviceStore {

    /** Who holds a push token: the user and the device. */
    record Holder(String userId, String deviceId) {}

    /** The user's devices, active or not, newest first. */
    List<Device> list(String userId);

    Optional<Device> find(String userId, String deviceId);

    Optional<Holder> holderOf(String token);

    /** The user's active devices, read consistently, with the version they were read at. */
    ActiveDevices activeDevices(String userId);

    /**
     * Whether the user's account still exists, read consistently. A deleted account's devices wait for the eraser and
     * change no more: changing one publishes a device event after the account's {@code user.deleted}, its last event.
     */
    boolean accountExists(String userId);

    /**
     * Writes all of the plan in one transaction with its events, or nothing: false when a concurrent change got in
     * the way (a condition of the plan no longer held); the caller reads again and plans anew.
     */
    boolean commit(DevicePlan plan);
}

package dev.userservice.devices;

import dev.userservice.paging.ListCap;
import java.util.Comparator;
import java.util.List;

/**
 * At most so many inactive devices kept per user, so listing a user's devices and deactivating them all stay
 * bounded: a registration that adds a device removes the oldest inactive ones beyond the limit, in its own
 * transaction. Devices are added only by registrations, so a user never has more than this many inactive devices
 * plus {@link DeviceLimit#MAX_ACTIVE} active ones; after the limit is lowered, each registration removes at most
 * {@link #MAX_REMOVED_AT_ONCE} of the excess, until it is gone.
 */
public final class InactiveDeviceLimit {
    /**
     * Each removal takes two of a transaction's 100 actions (the device and its token's claim), and the registration
     * beside them up to a dozen of its own: more in one go and DynamoDB refuses the transaction outright, on every
     * retry, so the user could never register a device again.
     */
    static final int MAX_REMOVED_AT_ONCE = 40;

    /** Least recently changed first (for an inactive device, its deactivation); the id settles ties. */
    private static final Comparator<Device> OLDEST_FIRST = Comparator.comparing(Device::updatedAt).thenComparing(Device::id);

    private final int maxInactive;

    public InactiveDeviceLimit(int maxInactive) {
        if (maxInactive < 1) {
            throw new IllegalArgumentException("at least one inactive device must be kept");
        }
        this.maxInactive = maxInactive;
    }

    /**
     * Which of the user's {@code inactive} devices a new device removes: room is kept for the one device the same
     * registration may deactivate (an active device over {@link DeviceLimit} gives way).
     */
    public List<Device> removedByNewDevice(List<Device> inactive) {
        List<Device> beyond = ListCap.givingWayForOneMore(inactive, maxInactive, OLDEST_FIRST);
        return beyond.size() > MAX_REMOVED_AT_ONCE ? beyond.subList(0, MAX_REMOVED_AT_ONCE) : beyond;
    }
}

package dev.userservice.devices;

import dev.userservice.paging.ListCap;
import java.util.Comparator;
import java.util.List;

/** At most {@link #MAX_ACTIVE} active devices per user: one more makes the least recently seen give way. */
public final class DeviceLimit {
    public static final int MAX_ACTIVE = 20;
    /** Least recently seen first; the device id settles ties, so every writer picks the same device. */
    private static final Comparator<PushTarget> LEAST_RECENTLY_SEEN =
            Comparator.comparing(PushTarget::lastSeenAt).thenComparing(PushTarget::deviceId);

    private DeviceLimit() {}

    /** Which of the {@code others} active devices to deactivate so that one more device fits under the limit. */
    public static List<PushTarget> evictedBy(List<PushTarget> others) {
        return ListCap.givingWayForOneMore(others, MAX_ACTIVE, LEAST_RECENTLY_SEEN);
    }
}

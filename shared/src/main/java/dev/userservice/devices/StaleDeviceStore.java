package dev.userservice.devices;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/** Where the daily pruning finds the active devices nobody has seen for long, and deactivates them. */
public interface StaleDeviceStore {

    /** An active device as the index lists it. */
    record Seen(String userId, String deviceId) {}

    /**
     * The active devices last seen in {@code month} (UTC) before {@code before}, read lazily page by page, in no
     * order the pruning relies on (the month's index partitions one after another, each oldest first). The index may lag the devices by a moment: {@link #deactivateIfStale} checks each one again.
     */
    Iterable<Seen> seenBefore(YearMonth month, Instant before);

    /**
     * Deactivates the device, {@code stale}, with its {@code device.deactivated} event, if it is still active and
     * was last seen before {@code cutoff}: true when it was, false when there was nothing to do, empty (nothing
     * stored) when a concurrent change of the user's devices got in the way.
     */
    Optional<Boolean> deactivateIfStale(Seen device, Instant cutoff, Instant now);
}

package dev.userservice.devices;

import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.errors.ServiceException;
import dev.userservice.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The daily pruning: devices not seen for {@link #NOT_SEEN_FOR} are deactivated, {@code stale}, without a scan.
 *
 * <p>Every active device is listed in an index partitioned by the month it was last seen (UTC), sixteen partitions
 * a month, and sorted by when it was, and leaves the index when it is deactivated or deleted. The pruning reads the
 * month of the cutoff (only the devices seen before the cutoff) and then the months before it, newest first. It walks
 * back until {@link #EMPTY_MONTHS_TO_STOP} months in a row list nothing, and never past {@link #HORIZON_MONTHS}
 * months before the cutoff. Since every run empties the months it reads, only the cutoff's month (and the one before
 * it, just after a month turns or after a run that did not finish) normally holds anything, and older months are
 * empty: the walk is some 400 cheap queries of empty partitions. A run of empty months that long, with stale devices
 * behind it, would take two years in which no device was seen and no pruning finished; the horizon bounds the walk
 * whatever the data.
 *
 * <p>Work is bounded: before each device the caller is asked whether time is left; when it is not, the run stops,
 * reports that more remain, and the next day's run continues where the index says.
 *
 * <p>Backfill: devices written before the index existed carry no index keys; they get them at their next registration
 * (or any other write of the device while active). The service is new, so no backfill is needed.
 */
public final class StaleDevices {
    /** How long a device may go unseen before it stops receiving pushes. */
    public static final Duration NOT_SEEN_FOR = Duration.ofDays(270);
    /** Months in a row without a stale device after which the walk back stops. */
    static final int EMPTY_MONTHS_TO_STOP = 24;
    /** The oldest month read, counted back from the cutoff's: nothing older can exist in a service this young. */
    static final int HORIZON_MONTHS = 120;
    /**
     * A device that fails (an item the code cannot read, say) is logged and passed over, so it cannot hold up the
     * devices behind it day after day; this many failures in one run mean something bigger is wrong, and it stops.
     */
    static final int MAX_FAILURES = 10;

    private final StaleDeviceStore store;
    private final Consumer<String> forgetUser;
    private final Clock clock;

    /** {@code forgetUser} drops a user's cached views (as {@code UserService::forget}), so profiles stop naming the device. */
    public StaleDevices(StaleDeviceStore store, Consumer<String> forgetUser, Clock clock) {
        this.store = store;
        this.forgetUser = forgetUser;
        this.clock = clock;
    }

    /** What a run did: how many devices it deactivated, and whether it read every stale device or stopped for time. */
    /** {@code failed}: devices whose deactivation failed (each logged), which the run passed over. */
    public record Result(int deactivated, boolean complete, int failed) {
        public Result(int deactivated, boolean complete) {
            this(deactivated, complete, 0);
        }
    }

    /** Devices last seen before this instant are stale. */
    public Instant cutoff() {
        return clock.instant().minus(NOT_SEEN_FOR);
    }

    /** The months a run may read, newest first: the cutoff's month, then back to the horizon. */
    static List<YearMonth> months(Instant cutoff) {
        YearMonth first = YearMonth.from(cutoff.atOffset(ZoneOffset.UTC));
        List<YearMonth> months = new ArrayList<>(HORIZON_MONTHS + 1);
        for (int back = 0; back <= HORIZON_MONTHS; back++) {
            months.add(first.minusMonths(back));
        }
        return months;
    }

    /**
     * Deactivates the stale devices while {@code timeLeft} says there is time for one more, and forgets the cached
     * views of each user who lost one.
     */
    public Result prune(BooleanSupplier timeLeft) {
        Instant cutoff = cutoff();
        int deactivated = 0;
        boolean skipped = false;
        int failures = 0;
        int emptyInARow = 0;
        for (YearMonth month : months(cutoff)) {
            if (emptyInARow >= EMPTY_MONTHS_TO_STOP) {
                break;
            }
            if (!timeLeft.getAsBoolean()) {
                return new Result(deactivated, false, failures);
            }
            boolean any = false;
            Iterator<StaleDeviceStore.Seen> seen = store.seenBefore(month, cutoff).iterator();
            while (seen.hasNext()) {
                StaleDeviceStore.Seen device = seen.next();
                any = true;
                if (!timeLeft.getAsBoolean()) {
                    return new Result(deactivated, false, failures);
                }
                Optional<Boolean> outcome;
                try {
                    outcome = deactivate(device, cutoff);
                } catch (RuntimeException e) {
                    Log.error("stale device not deactivated", Map.of("user_id", device.userId(), "device_id", device.deviceId()), e);
                    if (++failures >= MAX_FAILURES) {
                        return new Result(deactivated, false, failures);
                    }
                    outcome = Optional.empty();
                }
                if (outcome.isEmpty()) {
                    skipped = true;
                } else if (outcome.get()) {
                    deactivated++;
                    forgetUser.accept(device.userId());
                }
            }
            emptyInARow = any ? 0 : emptyInARow + 1;
        }
        return new Result(deactivated, !skipped, failures);
    }

    /** Whether the device was deactivated; empty when contention outlasted the retry budget (left for the next run). */
    private Optional<Boolean> deactivate(StaleDeviceStore.Seen device, Instant cutoff) {
        try {
            return Optional.of(OptimisticRetry.run(() -> store.deactivateIfStale(device, cutoff, clock.instant()),
                    "The device kept changing"));
        } catch (ServiceException busy) {
            return Optional.empty();
        }
    }
}

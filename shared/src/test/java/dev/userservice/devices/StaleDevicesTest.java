package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.logging.Log;
import dev.userservice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StaleDevicesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");
    /** 270 days before NOW. */
    private static final Instant CUTOFF = Instant.parse("2026-02-26T03:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeStore store = new FakeStore();
    private final List<String> forgotten = new ArrayList<>();
    private final StaleDevices stale = new StaleDevices(store, forgotten::add, clock);

    @Test
    void theCutoffIs270DaysBeforeNow() {
        assertEquals(CUTOFF, stale.cutoff());
        clock.advance(Duration.ofDays(1));
        assertEquals(CUTOFF.plus(Duration.ofDays(1)), stale.cutoff());
    }

    @Test
    void monthsRunFromTheCutoffsMonthBackToTheHorizon() {
        List<YearMonth> months = StaleDevices.months(CUTOFF);

        assertEquals(YearMonth.of(2026, 2), months.getFirst());
        assertEquals(List.of(YearMonth.of(2026, 2), YearMonth.of(2026, 1), YearMonth.of(2025, 12)), months.subList(0, 3));
        assertEquals(StaleDevices.HORIZON_MONTHS + 1, months.size());
        assertEquals(YearMonth.of(2016, 2), months.getLast(), "ten years back");
    }

    @Test
    void theCutoffsMonthIsReadInUtc() {
        assertEquals(YearMonth.of(2026, 3), StaleDevices.months(Instant.parse("2026-03-01T00:00:00Z")).getFirst());
        assertEquals(YearMonth.of(2026, 2), StaleDevices.months(Instant.parse("2026-02-28T23:59:59.999Z")).getFirst());
    }

    @Test
    void onlyDevicesSeenBeforeTheCutoffAreDeactivatedAndTheirUsersForgotten() {
        store.add("u1", "stale-just", CUTOFF.minusMillis(1));
        store.add("u1", "fresh-same-month", CUTOFF.plusSeconds(60));
        store.add("u2", "stale-older", Instant.parse("2025-07-04T10:00:00Z"));
        store.add("u3", "fresh", NOW.minus(Duration.ofDays(10)));

        StaleDevices.Result result = stale.prune(() -> true);

        assertEquals(new StaleDevices.Result(2, true), result);
        assertEquals(List.of("stale-just", "stale-older"), store.deactivated);
        assertEquals(List.of("u1", "u2"), forgotten);
        assertTrue(store.devices.get("fresh-same-month").active);
        assertTrue(store.devices.get("fresh").active);
    }

    @Test
    void theWalkBackStopsAfterTwoYearsOfEmptyMonths() {
        YearMonth cutoffMonth = YearMonth.of(2026, 2);
        store.add("u1", "three-back", seenIn(cutoffMonth.minusMonths(3)));
        store.add("u1", "after-23-empty", seenIn(cutoffMonth.minusMonths(27)));
        store.add("u1", "after-24-empty", seenIn(cutoffMonth.minusMonths(52)));

        StaleDevices.Result result = stale.prune(() -> true);

        assertEquals(new StaleDevices.Result(2, true), result);
        assertEquals(List.of("three-back", "after-23-empty"), store.deactivated);
        assertEquals(cutoffMonth.minusMonths(27 + StaleDevices.EMPTY_MONTHS_TO_STOP), store.queried.getLast());
        assertEquals(28 + StaleDevices.EMPTY_MONTHS_TO_STOP, store.queried.size());
    }

    @Test
    void withNothingStaleTheRunReadsTwoYearsOfMonths() {
        assertEquals(new StaleDevices.Result(0, true), stale.prune(() -> true));
        assertEquals(StaleDevices.EMPTY_MONTHS_TO_STOP, store.queried.size());
    }

    @Test
    void aRunOutOfTimeStopsAndTheNextOneContinues() {
        for (int i = 0; i < 5; i++) {
            store.add("u" + i, "d" + i, CUTOFF.minus(Duration.ofDays(i + 1)));
        }
        AtomicInteger checks = new AtomicInteger();

        StaleDevices.Result first = stale.prune(() -> checks.incrementAndGet() <= 4);

        assertFalse(first.complete());
        assertEquals(3, first.deactivated(), "one check for the month, one before each device");
        assertEquals(new StaleDevices.Result(2, true), stale.prune(() -> true));
        assertTrue(store.devices.values().stream().noneMatch(device -> device.active));
    }

    @Test
    void aDeviceWhoseUserKeepsChangingIsLeftForTheNextRun() {
        store.add("u1", "busy", CUTOFF.minusSeconds(5));
        store.conflicts = Integer.MAX_VALUE;

        assertEquals(new StaleDevices.Result(0, false), stale.prune(() -> true));

        store.conflicts = 2;
        assertEquals(new StaleDevices.Result(1, true), stale.prune(() -> true), "a conflict or two is retried");
    }

    @Test
    void aDeviceSeenSinceTheIndexWasReadIsLeftAlone() {
        store.add("u1", "seen-again", CUTOFF.minusSeconds(5));
        store.seenMeanwhile = NOW;

        assertEquals(new StaleDevices.Result(0, true), stale.prune(() -> true));
        assertTrue(store.devices.get("seen-again").active);
        assertEquals(List.of(), forgotten);
    }

    @Test
    void aDeviceThatFailsIsPassedOverAndTooManyFailuresEndTheRun() {
        store.add("u1", "broken", CUTOFF.minusSeconds(20));
        store.add("u2", "fine", CUTOFF.minusSeconds(10));
        store.broken.add("broken");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        Log.redirect(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(new StaleDevices.Result(1, false, 1), stale.prune(() -> true));
            assertEquals(List.of("fine"), store.deactivated);
            assertTrue(log.toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"device_id\":\"broken\""), "the failure is logged");

            for (int i = 0; i < StaleDevices.MAX_FAILURES + 5; i++) {
                store.add("u" + i, "broken-" + i, CUTOFF.minusSeconds(5 + i));
                store.broken.add("broken-" + i);
            }
            store.queried.clear();
            assertEquals(new StaleDevices.Result(0, false, StaleDevices.MAX_FAILURES), stale.prune(() -> true));
            assertEquals(1, store.queried.size(), "stopped in the first month");
        } finally {
            Log.redirect(System.out);
        }
    }

    private static Instant seenIn(YearMonth month) {
        return month.atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static final class FakeDevice {
        final String userId;
        final String deviceId;
        Instant lastSeenAt;
        boolean active = true;

        FakeDevice(String userId, String deviceId, Instant lastSeenAt) {
            this.userId = userId;
            this.deviceId = deviceId;
            this.lastSeenAt = lastSeenAt;
        }
    }

    /** The index as DynamoDB keeps it: active devices by month, sorted by last seen. */
    private static final class FakeStore implements StaleDeviceStore {
        final Map<String, FakeDevice> devices = new LinkedHashMap<>();
        final List<YearMonth> queried = new ArrayList<>();
        final List<String> deactivated = new ArrayList<>();
        final java.util.Set<String> broken = new java.util.HashSet<>();
        int conflicts;
        Instant seenMeanwhile;

        void add(String userId, String deviceId, Instant lastSeenAt) {
            devices.put(deviceId, new FakeDevice(userId, deviceId, lastSeenAt));
        }

        @Override
        public Iterable<Seen> seenBefore(YearMonth month, Instant before) {
            queried.add(month);
            return devices.values().stream()
                    .filter(device -> device.active && device.lastSeenAt.isBefore(before)
                            && YearMonth.from(device.lastSeenAt.atOffset(ZoneOffset.UTC)).equals(month))
                    .sorted(Comparator.comparing(device -> device.lastSeenAt))
                    .map(device -> new Seen(device.userId, device.deviceId))
                    .toList();
        }

        @Override
        public Optional<Boolean> deactivateIfStale(Seen seen, Instant cutoff, Instant now) {
            if (conflicts > 0) {
                conflicts--;
                return Optional.empty();
            }
            if (broken.contains(seen.deviceId())) {
                throw new IllegalStateException("Item lacks attribute created_at");
            }
            FakeDevice device = devices.get(seen.deviceId());
            if (seenMeanwhile != null) {
                device.lastSeenAt = seenMeanwhile;
            }
            if (!device.active || !device.lastSeenAt.isBefore(cutoff)) {
                return Optional.of(false);
            }
            device.active = false;
            deactivated.add(device.deviceId);
            return Optional.of(true);
        }
    }
}

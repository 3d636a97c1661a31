package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceLimitTest {
    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");

    @Test
    void roomForOneMoreNeedsNoEviction() {
        assertEquals(List.of(), DeviceLimit.evictedBy(targets(DeviceLimit.MAX_ACTIVE - 1)));
    }

    @Test
    void aFullListGivesUpItsLeastRecentlySeenDevice() {
        List<PushTarget> full = new ArrayList<>(targets(DeviceLimit.MAX_ACTIVE));
        PushTarget seenLongAgo = target("device-07", START.minusSeconds(3600));
        full.set(7, seenLongAgo);

        assertEquals(List.of(seenLongAgo), DeviceLimit.evictedBy(full), "wherever it is in the list");
    }

    @Test
    void aListOverTheLimitIsBroughtBackUnderIt() {
        assertEquals(List.of("device-00", "device-01", "device-02"),
                DeviceLimit.evictedBy(targets(DeviceLimit.MAX_ACTIVE + 2)).stream().map(PushTarget::deviceId).toList());
    }

    @Test
    void devicesSeenAtTheSameInstantGiveWayInIdOrder() {
        List<PushTarget> sameInstant = new ArrayList<>();
        for (int i = DeviceLimit.MAX_ACTIVE - 1; i >= 0; i--) {
            sameInstant.add(target("device-%02d".formatted(i), START));
        }
        assertEquals(List.of("device-00"), DeviceLimit.evictedBy(sameInstant).stream().map(PushTarget::deviceId).toList());
    }

    private static List<PushTarget> targets(int count) {
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            targets.add(target("device-%02d".formatted(i), START.plusSeconds(i)));
        }
        return targets;
    }

    private static PushTarget target(String id, Instant lastSeen) {
        return new PushTarget(id, "token-" + id, "ios", null, null, lastSeen);
    }
}

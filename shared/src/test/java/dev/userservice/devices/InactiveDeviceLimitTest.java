package dev.userservice.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InactiveDeviceLimitTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private final InactiveDeviceLimit limit = new InactiveDeviceLimit(3);

    @Test
    void belowTheLimitLessOneNothingIsRemoved() {
        assertEquals(List.of(), limit.removedByNewDevice(devices(2)));
    }

    @Test
    void atTheLimitTheLeastRecentlyDeactivatedMakesRoomWhereverItIsListed() {
        List<Device> inactive = new ArrayList<>(devices(3));
        Device oldest = inactive.getFirst();
        inactive.add(inactive.removeFirst());

        assertEquals(List.of(oldest), limit.removedByNewDevice(inactive));
    }

    @Test
    void farOverALoweredLimitAllTheOldestBeyondItAreRemoved() {
        List<Device> inactive = devices(7);

        assertEquals(inactive.subList(0, 5), limit.removedByNewDevice(inactive));
    }

    /** 120 inactive devices and a limit lowered to 20: the excess goes over three registrations, each transaction fitting. */
    @Test
    void farBeyondALoweredLimitEachRegistrationRemovesOnlyWhatOneTransactionHolds() {
        List<Device> inactive = devices(120);

        List<Device> removed = new InactiveDeviceLimit(20).removedByNewDevice(inactive);

        assertEquals(inactive.subList(0, InactiveDeviceLimit.MAX_REMOVED_AT_ONCE), removed);
    }

    @Test
    void devicesDeactivatedAtOneInstantGiveWayByIdSoEveryWriterPicksTheSame() {
        List<Device> sameInstant = List.of(device("d-c", START), device("d-a", START), device("d-b", START));

        assertEquals(List.of("d-a"), limit.removedByNewDevice(sameInstant).stream().map(Device::id).toList());
    }

    @Test
    void atLeastOneInactiveDeviceMustBeKept() {
        assertThrows(IllegalArgumentException.class, () -> new InactiveDeviceLimit(0));
    }

    private static List<Device> devices(int count) {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(device("d-" + i, START.plusSeconds(60L * i)));
        }
        return devices;
    }

    private static Device device(String id, Instant deactivatedAt) {
        return new Device(id, "alice", "token-" + id, "ios", null, false, null, null, START, deactivatedAt, START,
                DeactivationReason.USER_REQUEST);
    }
}

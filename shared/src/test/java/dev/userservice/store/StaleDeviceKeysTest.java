package dev.userservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class StaleDeviceKeysTest {
    @Test
    void aDeviceIsFiledUnderTheUtcMonthItWasLastSeen() {
        assertEquals("DEVICE_SEEN#2026-02", Keys.devicesSeenIn(Instant.parse("2026-02-28T23:59:59Z")));
        assertEquals("DEVICE_SEEN#2026-03", Keys.devicesSeenIn(Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals("DEVICE_SEEN#2026-03", Keys.devicesSeenIn(YearMonth.of(2026, 3)));
    }

    @Test
    void sortKeysOrderAsTheInstantsDoWhateverTheirFraction() {
        String whole = Keys.deviceSeen(Instant.parse("2026-02-25T03:56:21Z"), "u", "d");
        String half = Keys.deviceSeen(Instant.parse("2026-02-25T03:56:21.5Z"), "u", "d");
        String nanos = Keys.deviceSeen(Instant.parse("2026-02-25T03:56:21.500000001Z"), "u", "d");

        assertEquals("2026-02-25T03:56:21.000000000Z#u#d", whole);
        assertTrue(whole.compareTo(half) < 0 && half.compareTo(nanos) < 0);
    }

    @Test
    void theBoundSortsAboveEveryDeviceSeenBeforeItAndBelowTheRest() {
        Instant cutoff = Instant.parse("2026-02-26T03:00:00Z");
        String bound = Keys.seenBound(cutoff);

        assertTrue(Keys.deviceSeen(cutoff.minusNanos(1), "ffffffff", "ffffffff").compareTo(bound) < 0);
        assertTrue(Keys.deviceSeen(cutoff, "00000000", "00000000").compareTo(bound) > 0);
    }
}

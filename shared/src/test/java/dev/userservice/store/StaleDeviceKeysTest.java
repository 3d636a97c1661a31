package dev.userservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StaleDeviceKeysTest {
    @Test
    void aDeviceIsFiledUnderTheUtcMonthItWasLastSeenInTheShardOfItsId() {
        String device = "3f2c9a1e-7b4d-4c1a-9e0f-5a6b7c8d9e0f";
        String shard = Integer.toHexString(Math.floorMod(device.hashCode(), 16));

        assertEquals("DEVICE_SEEN#2026-02#" + shard, Keys.devicesSeenIn(Instant.parse("2026-02-28T23:59:59Z"), device));
        assertEquals("DEVICE_SEEN#2026-03#" + shard, Keys.devicesSeenIn(Instant.parse("2026-03-01T00:00:00Z"), device));
    }

    @Test
    void aMonthIsReadInItsSixteenShardsAndThePartitionOfTheVersionsBeforeThem() {
        List<String> march = Keys.devicesSeenIn(YearMonth.of(2026, 3));

        assertEquals(17, march.size());
        assertEquals("DEVICE_SEEN#2026-03#0", march.getFirst());
        assertEquals("DEVICE_SEEN#2026-03#f", march.get(15));
        assertEquals("DEVICE_SEEN#2026-03", march.getLast());
    }

    @Test
    void devicesSpreadEvenlyOverTheShards() {
        Map<String, Integer> perShard = new HashMap<>();
        for (int i = 0; i < 16_000; i++) {
            perShard.merge(Keys.devicesSeenIn(Instant.parse("2026-03-10T00:00:00Z"), UUID.randomUUID().toString()), 1, Integer::sum);
        }

        assertEquals(16, perShard.size());
        perShard.values().forEach(count -> assertTrue(count > 800 && count < 1_200, "about 1,000 each: " + perShard));
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

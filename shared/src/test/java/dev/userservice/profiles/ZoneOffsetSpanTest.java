package dev.userservice.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ZoneOffsetSpanTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant SPRING_2026 = Instant.parse("2026-03-08T07:00:00Z");
    private static final Instant AUTUMN_2026 = Instant.parse("2026-11-01T06:00:00Z");

    @Test
    void theSpanRunsFromTheLastClockChangeToTheNext() {
        assertEquals(new ZoneOffsetSpan(-4 * 3_600, SPRING_2026, AUTUMN_2026),
                ZoneOffsetSpan.around(NEW_YORK, Instant.parse("2026-07-04T16:00:00Z")));
    }

    @Test
    void aClockChangeBeginsTheSpanItStarts() {
        assertEquals(new ZoneOffsetSpan(-4 * 3_600, SPRING_2026, AUTUMN_2026), ZoneOffsetSpan.around(NEW_YORK, SPRING_2026));
        assertEquals(-5 * 3_600, ZoneOffsetSpan.around(NEW_YORK, SPRING_2026.minusNanos(1)).offsetSeconds());
    }

    @Test
    void aZoneWithoutClockChangesHasAnOpenSpan() {
        assertEquals(new ZoneOffsetSpan(0, null, null), ZoneOffsetSpan.around(ZoneOffset.UTC, Instant.EPOCH));
        assertTrue(new ZoneOffsetSpan(0, null, null).holdsAround(Instant.EPOCH));
    }

    @Test
    void itHoldsOnlyFromTwoDaysAfterItsStartToTwoDaysBeforeItsEnd() {
        ZoneOffsetSpan summer = new ZoneOffsetSpan(-4 * 3_600, SPRING_2026, AUTUMN_2026);

        assertFalse(summer.holdsAround(SPRING_2026.plusSeconds(2 * 86_400 - 1)));
        assertTrue(summer.holdsAround(SPRING_2026.plusSeconds(2 * 86_400)));
        assertTrue(summer.holdsAround(AUTUMN_2026.minusSeconds(2 * 86_400).minusNanos(1)));
        assertFalse(summer.holdsAround(AUTUMN_2026.minusSeconds(2 * 86_400)));
    }

    @Test
    void theCachedFormReadsBack() {
        for (ZoneOffsetSpan span : new ZoneOffsetSpan[] {new ZoneOffsetSpan(-4 * 3_600, SPRING_2026, AUTUMN_2026),
                new ZoneOffsetSpan(19_800, null, null)}) {
            assertEquals(span, ZoneOffsetSpan.fromJson(Json.parseObject(Json.write(span))));
        }
    }
}

package dev.userservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.preferences.Preferences;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preferences item is read back as it was written, quiet hours read without a formatter. */
class PreferencesItemTest {
    private static final Instant UPDATED = Instant.parse("2026-12-06T09:00:00Z");

    @Test
    void quietHoursAtEveryMinuteOfTheDayAreReadBackAsWritten() {
        for (int minute = 0; minute < 24 * 60; minute++) {
            LocalTime start = LocalTime.of(minute / 60, minute % 60);
            LocalTime end = start.plusMinutes(7 * 60 + 13);
            Preferences written = new Preferences(true, false, start, end,
                    Map.of("digest", new Preferences.CategoryChoice(false, true)), Map.of(), UPDATED);

            assertEquals(written, DynamoPreferencesStore.preferences(DynamoPreferencesStore.item("user-1", written)));
        }
    }

    @Test
    void preferencesWithoutQuietHoursAreReadBackWithout() {
        Preferences written = Preferences.defaults(UPDATED);

        assertEquals(written, DynamoPreferencesStore.preferences(DynamoPreferencesStore.item("user-1", written)));
    }
}

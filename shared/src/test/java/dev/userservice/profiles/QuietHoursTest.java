package dev.userservice.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.PushTarget;
import dev.userservice.preferences.Preferences;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static QuietHours quiet(String start, String end) {
        return new QuietHours(LocalTime.parse(start), LocalTime.parse(end));
    }

    private static Optional<Instant> activeUntil(QuietHours quietHours, ZoneId zone, String now) {
        return quietHours.activeUntil(zone, Instant.parse(now));
    }

    private static Optional<Instant> until(String instant) {
        return Optional.of(Instant.parse(instant));
    }

    @Nested
    class WithinADay {
        private final QuietHours workingHours = quiet("09:00", "17:00");

        @Test
        void insideEndsAtTheEndTimeOfTheSameDay() {
            assertEquals(until("2025-06-02T17:00:00Z"), activeUntil(workingHours, UTC, "2025-06-02T12:00:00Z"));
        }

        @Test
        void theStartIsInsideAndTheEndIsOutside() {
            assertEquals(until("2025-06-02T17:00:00Z"), activeUntil(workingHours, UTC, "2025-06-02T09:00:00Z"));
            assertEquals(Optional.empty(), activeUntil(workingHours, UTC, "2025-06-02T17:00:00Z"));
        }

        @Test
        void outsideIsNotQuiet() {
            assertEquals(Optional.empty(), activeUntil(workingHours, UTC, "2025-06-02T08:59:59Z"));
            assertEquals(Optional.empty(), activeUntil(workingHours, UTC, "2025-06-02T20:00:00Z"));
        }

        @Test
        void theTimesAreReadInTheUsersZone() {
            // 12:00 UTC is 14:00 in Berlin in summer: inside, ending at 17:00 Berlin time, 15:00 UTC.
            assertEquals(until("2025-06-02T15:00:00Z"), activeUntil(workingHours, BERLIN, "2025-06-02T12:00:00Z"));
            assertEquals(Optional.empty(), activeUntil(workingHours, BERLIN, "2025-06-02T06:30:00Z"));
        }

        @Test
        void anEqualStartAndEndIsNoQuietHoursAtAll() {
            QuietHours empty = quiet("22:00", "22:00");
            for (String now : List.of("2025-06-02T21:59:00Z", "2025-06-02T22:00:00Z", "2025-06-02T22:01:00Z", "2025-06-03T10:00:00Z")) {
                assertEquals(Optional.empty(), activeUntil(empty, UTC, now), now);
            }
        }
    }

    @Nested
    class SpanningMidnight {
        private final QuietHours night = quiet("22:00", "07:00");

        @Test
        void lateEveningEndsTheNextMorning() {
            // 23:30 in Berlin (CEST, UTC+2) on 2 June; the night ends at 07:00 on 3 June, 05:00 UTC.
            assertEquals(until("2025-06-03T05:00:00Z"), activeUntil(night, BERLIN, "2025-06-02T21:30:00Z"));
        }

        @Test
        void earlyMorningEndsTheSameMorning() {
            assertEquals(until("2025-06-03T05:00:00Z"), activeUntil(night, BERLIN, "2025-06-03T01:00:00Z"));
        }

        @Test
        void daytimeIsNotQuiet() {
            assertEquals(Optional.empty(), activeUntil(night, BERLIN, "2025-06-03T05:00:00Z"));
            assertEquals(Optional.empty(), activeUntil(night, BERLIN, "2025-06-03T10:00:00Z"));
            assertEquals(Optional.empty(), activeUntil(night, BERLIN, "2025-06-03T19:59:59Z"));
        }

        @Test
        void startsAtTheStartTime() {
            assertEquals(until("2025-06-04T05:00:00Z"), activeUntil(night, BERLIN, "2025-06-03T20:00:00Z"));
        }
    }

    /** New York springs forward on 9 March 2025: at 02:00 EST (07:00 UTC) the clock shows 03:00 EDT. */
    @Nested
    class NewYorkSpringForward {
        @Test
        void aNightAcrossTheChangeIsAnHourShorter() {
            // 22:00 EST (03:00 UTC) to 07:00 EDT (11:00 UTC): eight hours instead of nine.
            QuietHours night = quiet("22:00", "07:00");
            assertEquals(until("2025-03-09T11:00:00Z"), activeUntil(night, NEW_YORK, "2025-03-09T03:00:00Z"));
            assertEquals(until("2025-03-09T11:00:00Z"), activeUntil(night, NEW_YORK, "2025-03-09T10:59:00Z"));
            assertEquals(Optional.empty(), activeUntil(night, NEW_YORK, "2025-03-09T11:00:00Z"));
        }

        @Test
        void aStartInTheGapStartsWhenTheClockJumpsPastIt() {
            // 02:30 never shows that night: quiet hours start at 03:00 EDT, the instant of the jump.
            QuietHours quietHours = quiet("02:30", "06:00");
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-03-09T06:59:59Z"));
            assertEquals(until("2025-03-09T10:00:00Z"), activeUntil(quietHours, NEW_YORK, "2025-03-09T07:00:00Z"));
        }

        @Test
        void anEndInTheGapEndsWhenTheClockJumpsPastIt() {
            QuietHours quietHours = quiet("22:00", "02:30");
            assertEquals(until("2025-03-09T07:00:00Z"), activeUntil(quietHours, NEW_YORK, "2025-03-09T06:30:00Z"));
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-03-09T07:00:00Z"));
        }

        @Test
        void aPeriodWhollyInTheGapDoesNotHappenThatNight() {
            QuietHours quietHours = quiet("02:10", "02:50");
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-03-09T06:59:59Z"));
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-03-09T07:00:00Z"));
            // The next night it is back: 02:20 EDT is 06:20 UTC, the end 02:50 EDT 06:50 UTC.
            assertEquals(until("2025-03-10T06:50:00Z"), activeUntil(quietHours, NEW_YORK, "2025-03-10T06:20:00Z"));
        }
    }

    /** New York falls back on 2 November 2025: at 02:00 EDT (06:00 UTC) the clock shows 01:00 EST again. */
    @Nested
    class NewYorkFallBack {
        @Test
        void aNightAcrossTheChangeIsAnHourLonger() {
            // 22:00 EDT (02:00 UTC) to 07:00 EST (12:00 UTC): ten hours.
            QuietHours night = quiet("22:00", "07:00");
            assertEquals(until("2025-11-02T12:00:00Z"), activeUntil(night, NEW_YORK, "2025-11-02T02:00:00Z"));
            assertEquals(until("2025-11-02T12:00:00Z"), activeUntil(night, NEW_YORK, "2025-11-02T11:30:00Z"));
        }

        @Test
        void aStartInTheOverlapStartsTheFirstTimeTheClockShowsIt() {
            QuietHours quietHours = quiet("01:30", "05:00");
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-11-02T05:29:00Z"));
            // 01:30 EDT is 05:30 UTC; it stays quiet through the repeated hour, until 05:00 EST, 10:00 UTC.
            assertEquals(until("2025-11-02T10:00:00Z"), activeUntil(quietHours, NEW_YORK, "2025-11-02T05:30:00Z"));
            assertEquals(until("2025-11-02T10:00:00Z"), activeUntil(quietHours, NEW_YORK, "2025-11-02T06:15:00Z"));
        }

        @Test
        void anEndInTheOverlapEndsTheFirstTimeTheClockShowsIt() {
            QuietHours quietHours = quiet("22:00", "01:30");
            assertEquals(until("2025-11-02T05:30:00Z"), activeUntil(quietHours, NEW_YORK, "2025-11-02T05:00:00Z"));
            // 01:15 EST, in the repeated hour, after the end was first reached: not quiet again.
            assertEquals(Optional.empty(), activeUntil(quietHours, NEW_YORK, "2025-11-02T06:15:00Z"));
        }
    }

    /** Berlin springs forward on 30 March 2025: at 02:00 CET (01:00 UTC) the clock shows 03:00 CEST. */
    @Nested
    class BerlinSpringForward {
        @Test
        void anEndInTheGapEndsWhenTheClockJumpsPastIt() {
            QuietHours quietHours = quiet("23:00", "02:30");
            assertEquals(until("2025-03-30T01:00:00Z"), activeUntil(quietHours, BERLIN, "2025-03-30T00:30:00Z"));
            assertEquals(Optional.empty(), activeUntil(quietHours, BERLIN, "2025-03-30T01:00:00Z"));
        }

        @Test
        void aStartInTheGapStartsWhenTheClockJumpsPastIt() {
            QuietHours quietHours = quiet("02:30", "08:00");
            assertEquals(Optional.empty(), activeUntil(quietHours, BERLIN, "2025-03-30T00:59:59Z"));
            // 08:00 CEST is 06:00 UTC.
            assertEquals(until("2025-03-30T06:00:00Z"), activeUntil(quietHours, BERLIN, "2025-03-30T01:00:00Z"));
        }

        @Test
        void aNightAcrossTheChangeIsAnHourShorter() {
            // 22:00 CET (21:00 UTC on the 29th) to 07:00 CEST (05:00 UTC).
            QuietHours night = quiet("22:00", "07:00");
            assertEquals(until("2025-03-30T05:00:00Z"), activeUntil(night, BERLIN, "2025-03-29T21:00:00Z"));
            assertEquals(Optional.empty(), activeUntil(night, BERLIN, "2025-03-29T20:59:00Z"));
        }
    }

    /** Berlin falls back on 26 October 2025: at 03:00 CEST (01:00 UTC) the clock shows 02:00 CET again. */
    @Nested
    class BerlinFallBack {
        @Test
        void aStartInTheOverlapStartsTheFirstTimeTheClockShowsIt() {
            QuietHours quietHours = quiet("02:30", "06:00");
            // 02:30 CEST is 00:30 UTC; 06:00 CET is 05:00 UTC.
            assertEquals(Optional.empty(), activeUntil(quietHours, BERLIN, "2025-10-26T00:29:00Z"));
            assertEquals(until("2025-10-26T05:00:00Z"), activeUntil(quietHours, BERLIN, "2025-10-26T00:45:00Z"));
            assertEquals(until("2025-10-26T05:00:00Z"), activeUntil(quietHours, BERLIN, "2025-10-26T01:45:00Z"));
        }

        @Test
        void anEndInTheOverlapEndsTheFirstTimeTheClockShowsIt() {
            QuietHours quietHours = quiet("22:00", "02:30");
            assertEquals(until("2025-10-26T00:30:00Z"), activeUntil(quietHours, BERLIN, "2025-10-26T00:00:00Z"));
            // 02:15 CET, the second 02:15 of the night: the period already ended at the first 02:30.
            assertEquals(Optional.empty(), activeUntil(quietHours, BERLIN, "2025-10-26T01:15:00Z"));
        }
    }

    /** The offset alone answers as the zone's rules do wherever it holds, in every zone, near its clock changes too. */
    @Test
    void theZonesOffsetGivesTheRulesAnswerWhereverItHolds() {
        SplittableRandom random = new SplittableRandom(41);
        long from2000 = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to2040 = Instant.parse("2040-01-01T00:00:00Z").getEpochSecond();
        int held = 0;
        int notHeld = 0;
        for (String zoneId : ZoneId.getAvailableZoneIds()) {
            ZoneId zone = ZoneId.of(zoneId);
            for (int i = 0; i < 60; i++) {
                Instant now = Instant.ofEpochSecond(random.nextLong(from2000, to2040));
                ZoneOffsetTransition change = zone.getRules().nextTransition(now);
                if (i % 2 == 1 && change != null) {
                    // Within three days of a clock change, where a span ending or beginning there must not be used.
                    now = change.getInstant().plusSeconds(random.nextLong(-3 * 86_400, 3 * 86_400));
                }
                QuietHours quietHours = new QuietHours(LocalTime.ofSecondOfDay(random.nextInt(96) * 900L),
                        LocalTime.ofSecondOfDay(random.nextInt(96) * 900L));
                ZoneOffsetSpan offset = ZoneOffsetSpan.around(zone, now);
                if (offset.holdsAround(now)) {
                    held++;
                    assertEquals(quietHours.activeUntil(zone, now), quietHours.activeUntil(offset.offsetSeconds(), now),
                            () -> zoneId + " " + quietHours);
                } else {
                    notHeld++;
                }
            }
        }
        assertTrue(held > 20_000 && notHeld > 1_000, held + " held, " + notHeld + " near a change");
    }

    /** What the profile makes of quiet hours: they hold back both channels, except for critical notifications. */
    @Nested
    class InTheProfile {
        private final Clock midnightInBerlin = Clock.fixed(Instant.parse("2025-06-02T22:00:00Z"), UTC);
        private final ProfileInputs inputs = new ProfileInputs("5f0c2f4e-8a51-4a57-9d8e-3b1f6a0c9e21", "a@example.com",
                "Alice", "en", "Europe/Berlin", true, true, false, null,
                new Preferences(true, true, LocalTime.of(22, 0), LocalTime.of(7, 0), Map.of(), Instant.EPOCH),
                List.of(new PushTarget("d1", "token-1", "ios", "s1", Instant.EPOCH, Instant.EPOCH)), null);

        @Test
        void insideQuietHoursNeitherChannelIsAllowed() {
            Map<String, Object> profile = NotificationProfile.of(inputs, ProfileRequest.DEFAULT, midnightInBerlin).toJson();

            assertEquals(true, profile.get("quiet_hours_active"));
            assertEquals(Instant.parse("2025-06-03T05:00:00Z"), profile.get("quiet_hours_end_at"));
            assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "quiet_hours"), channel(profile, "email"));
            assertEquals("quiet_hours", channel(profile, "push").get("reason"));
        }

        @Test
        void aCriticalNotificationIgnoresQuietHours() {
            ProfileRequest critical = new ProfileRequest(Optional.empty(), Priority.CRITICAL, false);
            Map<String, Object> profile = NotificationProfile.of(inputs, critical, midnightInBerlin).toJson();

            assertEquals(true, profile.get("quiet_hours_active"), "the user's quiet hours are still reported");
            assertEquals(Map.of("enabled", true, "allowed_now", true), channel(profile, "email"));
            assertEquals(true, channel(profile, "push").get("allowed_now"));
        }

        @Test
        void outsideQuietHoursNothingIsReported() {
            Clock noon = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), UTC);
            Map<String, Object> profile = NotificationProfile.of(inputs, ProfileRequest.DEFAULT, noon).toJson();

            assertEquals(false, profile.get("quiet_hours_active"));
            assertEquals(null, profile.get("quiet_hours_end_at"));
            assertEquals(true, channel(profile, "email").get("allowed_now"));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> channel(Map<String, Object> profile, String name) {
            Map<String, Object> channel = new java.util.HashMap<>(((Map<String, Map<String, Object>>) profile.get("channels")).get(name));
            channel.remove("tokens");
            return channel;
        }
    }
}

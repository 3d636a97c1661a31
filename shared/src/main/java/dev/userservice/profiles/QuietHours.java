package dev.userservice.profiles;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A daily quiet period between two wall-clock times of the user's time zone, as preferences store it: from
 * {@code start} (included) to {@code end} (excluded), past midnight when {@code end} is before {@code start}
 * (22:00 to 07:00). A start equal to the end is an empty period, never a whole day: quiet hours that never end
 * would silence a user for good by what is most likely a slip.
 *
 * <p>Daylight-saving changes are read as a wall clock would: a time is reached at the first instant the clock shows
 * it or a later time. A start or end inside a spring-forward gap (02:30 in New York on the second Sunday of March)
 * is reached when the clock jumps past it (03:00 EDT); one inside an autumn overlap (01:30, shown twice) is reached
 * the first time it is shown. So the period never throws, never vanishes unless both of its ends fall in the same
 * gap, and is at most an hour longer or shorter on the two days a year the clock changes.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long NANOS_PER_DAY = SECONDS_PER_DAY * 1_000_000_000L;

    /** Quiet hours from preferences, empty when none are set. */
    public static Optional<QuietHours> of(LocalTime start, LocalTime end) {
        return start == null || end == null ? Optional.empty() : Optional.of(new QuietHours(start, end));
    }

    /** When the quiet period that holds {@code now} ends; empty when now is not inside quiet hours. */
    public Optional<Instant> activeUntil(ZoneId zone, Instant now) {
        if (start.equals(end)) {
            return Optional.empty();
        }
        LocalDate today = ZonedDateTime.ofInstant(now, zone).toLocalDate();
        // Only the period that began yesterday (past midnight) or the one that begins today can hold now.
        for (LocalDate day : new LocalDate[] {today.minusDays(1), today}) {
            Instant from = reached(day.atTime(start), zone);
            Instant until = reached((spansMidnight() ? day.plusDays(1) : day).atTime(end), zone);
            if (!now.isBefore(from) && now.isBefore(until)) {
                return Optional.of(until);
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #activeUntil(ZoneId, Instant)}'s answer for a zone whose offset is {@code offsetSeconds} from two days
     * before {@code now} to two days after ({@link ZoneOffsetSpan#holdsAround}), all the instants that answer looks
     * at: with one offset the wall clock has no gap or overlap, so each time of day is a fixed time after local
     * midnight, and neither the zone's rules nor a calendar is needed.
     */
    Optional<Instant> activeUntil(int offsetSeconds, Instant now) {
        if (start.equals(end)) {
            return Optional.empty();
        }
        long today = Math.floorDiv(now.getEpochSecond() + offsetSeconds, SECONDS_PER_DAY);
        for (long day = today - 1; day <= today; day++) {
            Instant midnight = Instant.ofEpochSecond(day * SECONDS_PER_DAY - offsetSeconds);
            Instant from = midnight.plusNanos(start.toNanoOfDay());
            Instant until = midnight.plusNanos((spansMidnight() ? NANOS_PER_DAY : 0) + end.toNanoOfDay());
            if (!now.isBefore(from) && now.isBefore(until)) {
                return Optional.of(until);
            }
        }
        return Optional.empty();
    }

    private boolean spansMidnight() {
        return end.isBefore(start);
    }

    /** The first instant at which the zone's wall clock shows {@code local} or a later time. */
    static Instant reached(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        // Outside transitions there is one instant; in an overlap ZonedDateTime takes the earlier offset.
        return ZonedDateTime.of(local, zone).toInstant();
    }
}

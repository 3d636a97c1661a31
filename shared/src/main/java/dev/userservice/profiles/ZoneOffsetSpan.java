package dev.userservice.profiles;

import dev.userservice.json.Instants;
import dev.userservice.json.JsonWritable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The offset from UTC that a time zone keeps from one of its transitions to the next, cached with a user's profile
 * inputs so that a read can place quiet hours in the user's day without the zone's rules: loading them (the JDK's
 * time-zone database, the zone's transitions, and the calendar and formatting classes their rules initialise) is
 * some fifty classes of a cold start. Read each time against the clock, so an entry cached before a transition is
 * simply not used after it.
 *
 * @param from  the transition that began this offset; null when the zone has none before
 * @param until the next transition; null when the zone has none after
 */
public record ZoneOffsetSpan(int offsetSeconds, Instant from, Instant until) implements JsonWritable {
    /** How far from now {@link QuietHours} looks: the period that began yesterday, to the one that ends tomorrow. */
    static final Duration QUIET_HOURS_REACH = Duration.ofDays(2);

    /** The span of {@code zone} that holds {@code at}. */
    public static ZoneOffsetSpan around(ZoneId zone, Instant at) {
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition previous = rules.previousTransition(at.plusNanos(1));
        ZoneOffsetTransition next = rules.nextTransition(at);
        return new ZoneOffsetSpan(rules.getOffset(at).getTotalSeconds(),
                previous == null ? null : previous.getInstant(), next == null ? null : next.getInstant());
    }

    /** True when the offset holds from {@link #QUIET_HOURS_REACH} before {@code now} to as long after it. */
    boolean holdsAround(Instant now) {
        return (from == null || !from.isAfter(now.minus(QUIET_HOURS_REACH)))
                && (until == null || now.plus(QUIET_HOURS_REACH).isBefore(until));
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("offset_seconds", offsetSeconds);
        json.put("from", from);
        json.put("until", until);
        return json;
    }

    /** @throws RuntimeException (class cast, null, parse) for anything but {@link #toJson}'s form */
    static ZoneOffsetSpan fromJson(Map<String, Object> json) {
        return new ZoneOffsetSpan(Math.toIntExact((Long) json.get("offset_seconds")),
                Instants.parseOrNull(json.get("from")), Instants.parseOrNull(json.get("until")));
    }
}

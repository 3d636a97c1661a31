package dev.userservice.profiles;

import dev.userservice.devices.PushTarget;
import dev.userservice.json.Instants;
import dev.userservice.json.JsonWritable;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.SessionCutoff;
import dev.userservice.users.User;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a notification profile is computed from, as stored: the account's fields a sender needs, its preferences
 * and its active push devices. This, not the profile, is what the cache holds, because a profile's
 * {@code allowed_now} depends on the time of the request (quiet hours) and must be computed on every read.
 *
 * @param sessionCutoff the sessions the last password reset or change ended; devices registered in them no longer
 *                      count; null when there was none
 * @param devices            the active devices as the devices store lists them, before that rule is applied
 * @param zoneOffset         the time zone's offset around when the inputs were read, for reads that come later; null
 *                           when not known, as from the store
 */
public record ProfileInputs(
        String userId,
        String email,
        String name,
        String locale,
        String timezone,
        boolean active,
        boolean emailVerified,
        boolean emailBounced,
        SessionCutoff sessionCutoff,
        Preferences preferences,
        List<PushTarget> devices,
        ZoneOffsetSpan zoneOffset) implements JsonWritable {

    public static ProfileInputs of(User user, boolean emailBounced, SessionCutoff sessionCutoff, Preferences preferences,
                                   List<PushTarget> devices) {
        return new ProfileInputs(user.id(), user.email(), user.name(), user.locale(), user.timezone(), user.isActive(),
                user.emailVerified(), emailBounced, sessionCutoff, preferences, List.copyOf(devices), null);
    }

    /** These inputs with the offset their time zone has around {@code at}. */
    ProfileInputs withZoneOffsetAround(Instant at) {
        return new ProfileInputs(userId, email, name, locale, timezone, active, emailVerified, emailBounced,
                sessionCutoff, preferences, devices, ZoneOffsetSpan.around(zone(), at));
    }

    /** Time zones are checked when stored; an unreadable one is read as UTC rather than failing the send. */
    ZoneId zone() {
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /**
     * The devices a push may go to: all active ones but those registered in a session that a later password reset or
     * change ended. A device a service registered belongs to no session, so neither ends it.
     */
    public List<PushTarget> reachableDevices() {
        if (sessionCutoff == null) {
            return devices;
        }
        return devices.stream()
                .filter(device -> device.sessionCreatedAt() == null || !sessionCutoff.ended(device.sessionId(), device.sessionCreatedAt()))
                .toList();
    }

    /** The token of the reachable device seen last (registered most recently): where a single push would go. */
    public Optional<String> newestReachableToken() {
        return reachableDevices().stream().max(Comparator.comparing(PushTarget::lastSeenAt)).map(PushTarget::token);
    }

    /** The cached form; {@link #fromJson} reads it back. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", userId);
        json.put("email", email);
        json.put("name", name);
        json.put("locale", locale);
        json.put("timezone", timezone);
        json.put("active", active);
        json.put("email_verified", emailVerified);
        json.put("email_bounced", emailBounced);
        json.put("sessions_valid_after", sessionCutoff == null ? null : sessionCutoff.resetAt());
        json.put("sessions_changed_at", sessionCutoff == null ? null : sessionCutoff.changedAt());
        json.put("session_kept", sessionCutoff == null ? null : sessionCutoff.kept());
        json.put("preferences", preferences);
        json.put("devices", devices.stream().map(device -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("device_id", device.deviceId());
            item.put("token", device.token());
            item.put("platform", device.platform());
            item.put("session_id", device.sessionId());
            item.put("session_created_at", device.sessionCreatedAt());
            item.put("last_seen_at", device.lastSeenAt());
            return item;
        }).toList());
        json.put("zone_offset", zoneOffset);
        return json;
    }

    /**
     * Reads the cached form. Throws a {@link RuntimeException} (class cast, null, parse) for anything else, which the
     * caller treats as a miss: an entry of an older layout is simply read again from the table.
     */
    @SuppressWarnings("unchecked")
    public static ProfileInputs fromJson(Map<String, Object> json) {
        List<PushTarget> devices = ((List<Map<String, Object>>) json.get("devices")).stream()
                .map(device -> new PushTarget((String) device.get("device_id"), (String) device.get("token"),
                        (String) device.get("platform"), (String) device.get("session_id"),
                        Instants.parseOrNull(device.get("session_created_at")),
                        Instants.parseOrNull(device.get("last_seen_at"))))
                .toList();
        return new ProfileInputs(
                (String) json.get("user_id"),
                (String) json.get("email"),
                (String) json.get("name"),
                (String) json.get("locale"),
                (String) json.get("timezone"),
                (Boolean) json.get("active"),
                (Boolean) json.get("email_verified"),
                (Boolean) json.get("email_bounced"),
                json.get("sessions_valid_after") == null && json.get("sessions_changed_at") == null ? null
                        : new SessionCutoff(Instants.parseOrNull(json.get("sessions_valid_after")),
                                Instants.parseOrNull(json.get("sessions_changed_at")), (String) json.get("session_kept")),
                Preferences.fromJson((Map<String, Object>) json.get("preferences")),
                devices,
                // absent from entries cached before it was: such an entry is read through the zone's rules
                json.get("zone_offset") == null ? null : ZoneOffsetSpan.fromJson((Map<String, Object>) json.get("zone_offset")));
    }
}

package dev.userservice.devices;

import dev.userservice.json.JsonWritable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A push device of a user. {@code sessionId} and {@code sessionCreatedAt} name the session it was registered in
 * (null when a service registered it); {@code deactivatedReason} is set exactly when it is inactive.
 */
public record Device(
        String id,
        String userId,
        String token,
        String platform,
        String deviceName,
        boolean active,
        String sessionId,
        Instant sessionCreatedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant lastSeenAt,
        DeactivationReason deactivatedReason) implements JsonWritable {

    /**
     * The representation of API.md, {@code {"id", "token", "platform", "active", "device_name", "created_at",
     * "updated_at", "last_seen_at"}}, and {@code deactivated_reason} (null while active), so support can tell why
     * pushes stopped.
     */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("token", token);
        json.put("platform", platform);
        json.put("active", active);
        json.put("device_name", deviceName);
        json.put("created_at", createdAt);
        json.put("updated_at", updatedAt);
        json.put("last_seen_at", lastSeenAt);
        json.put("deactivated_reason", deactivatedReason == null ? null : deactivatedReason.wireName());
        return json;
    }

    public PushTarget target() {
        return new PushTarget(id, token, platform, sessionId, sessionCreatedAt, lastSeenAt);
    }

    public Device withName(String name, Instant now) {
        return new Device(id, userId, token, platform, name, active, sessionId, sessionCreatedAt, createdAt, now,
                lastSeenAt, deactivatedReason);
    }

    public Device deactivated(DeactivationReason reason, Instant now) {
        return new Device(id, userId, token, platform, deviceName, false, sessionId, sessionCreatedAt, createdAt, now,
                lastSeenAt, reason);
    }

    /** Active again, in the session it had. */
    public Device reactivated(Instant now) {
        return new Device(id, userId, token, platform, deviceName, true, sessionId, sessionCreatedAt, createdAt, now,
                lastSeenAt, null);
    }
}

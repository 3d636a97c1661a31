package dev.userservice.sessions;

import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A session as its owner sees it in their list: where and when it began, and whether it is the caller's own. */
public record SessionView(Session session, boolean current) implements JsonWritable {

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", session.id());
        json.put("device_name", session.deviceName());
        json.put("user_agent", session.userAgent());
        json.put("ip", session.ip());
        json.put("created_at", session.createdAt());
        json.put("last_used_at", session.lastUsedAt());
        json.put("current", current);
        return json;
    }
}

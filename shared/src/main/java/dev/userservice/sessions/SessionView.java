package dev.userservice.sessions;

import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A session as its owner sees it in their list: where and when it began, whether it is the caller's own, and for an
 * ended one when and why it ended.
 */
public record SessionView(Session session, boolean current, Optional<Session.Ending> ending) implements JsonWritable {

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
        ending.ifPresent(ended -> {
            json.put("ended_at", ended.at());
            json.put("end_reason", ended.reason().code());
        });
        return json;
    }
}

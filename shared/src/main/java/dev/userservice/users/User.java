package dev.userservice.users;

import dev.userservice.auth.Role;
import dev.userservice.json.JsonWritable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A user account. The password hash stays inside the service: {@link #toJson()} is what clients see. */
public record User(
        String id,
        String email,
        String name,
        String phone,
        String timezone,
        String locale,
        Role role,
        Status status,
        boolean emailVerified,
        Map<String, Object> attributes,
        Instant createdAt,
        Instant updatedAt,
        String passwordHash) implements JsonWritable {

    public enum Status { ACTIVE, DISABLED }

    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final String DEFAULT_LOCALE = "en";

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("email", email);
        json.put("name", name);
        json.put("phone", phone);
        json.put("timezone", timezone);
        json.put("locale", locale);
        json.put("role", role.claim());
        json.put("status", status);
        json.put("email_verified", emailVerified);
        json.put("attributes", attributes);
        json.put("created_at", createdAt);
        json.put("updated_at", updatedAt);
        return json;
    }
}

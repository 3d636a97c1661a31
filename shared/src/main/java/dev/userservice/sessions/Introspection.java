package dev.userservice.sessions;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662's answer: the token's principal and whether its email is verified while the token is active, nothing
 * but {@code {active: false}} otherwise (no hint of why).
 */
public record Introspection(Optional<Principal> active, boolean emailVerified) implements JsonWritable {
    public static final Introspection INACTIVE = new Introspection(Optional.empty(), false);

    public boolean isActive() {
        return active.isPresent();
    }

    /** {@code {active: true, sub, sid, roles, exp, email_verified}} or {@code {active: false}}. */
    @Override
    public Map<String, Object> toJson() {
        if (active.isEmpty()) {
            return Map.of("active", false);
        }
        Principal principal = active.get();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("active", true);
        json.put("sub", principal.subject());
        json.put("sid", principal.sessionId());
        json.put("roles", principal.roles().stream().map(Role::claim).sorted().toList());
        json.put("exp", principal.expiresAt().getEpochSecond());
        json.put("email_verified", emailVerified);
        return json;
    }
}

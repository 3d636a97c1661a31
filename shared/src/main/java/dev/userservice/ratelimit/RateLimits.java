package dev.userservice.ratelimit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service's limits: the defaults of docs/api.md, each replaceable through {@code RATE_LIMITS}
 * (for example {@code register=20/1h,login_ip=200/5m}).
 */
public record RateLimits(RateLimit register, RateLimit registerPerMailbox, RateLimit loginPerEmail, RateLimit loginPerIp,
                         RateLimit passwordReset, RateLimit passwordResetPerIp, RateLimit emailVerification,
                         RateLimit refresh, RateLimit search, RateLimit idempotencyPerIp) {

    private static final Map<String, String> DEFAULTS = Map.of(
            "register", "5/1h",
            "register_mailbox", "5/1h",
            "login_email", "10/5m",
            "login_ip", "50/5m",
            "password_reset", "3/1h",
            "password_reset_ip", "20/1h",
            "email_verification", "3/1h",
            "refresh", "30/1m",
            "search", "30/1m",
            "idempotency_ip", "60/1m");

    public static RateLimits from(Optional<String> overrides) {
        Map<String, String> settings = new HashMap<>(DEFAULTS);
        overrides.ifPresent(text -> {
            Set<String> named = new HashSet<>();
            for (String entry : text.split(",")) {
                String[] pair = entry.split("=", 2);
                if (pair.length != 2 || !DEFAULTS.containsKey(pair[0].trim())) {
                    throw new IllegalStateException("RATE_LIMITS entries are name=count/window with a name among "
                            + DEFAULTS.keySet() + ", not " + entry);
                }
                if (!named.add(pair[0].trim())) {
                    // Which of two values was meant is not for the service to guess.
                    throw new IllegalStateException("RATE_LIMITS names " + pair[0].trim() + " twice");
                }
                settings.put(pair[0].trim(), pair[1]);
            }
        });
        return new RateLimits(
                RateLimit.parse("register", settings.get("register")),
                RateLimit.parse("register_mailbox", settings.get("register_mailbox")),
                RateLimit.parse("login_email", settings.get("login_email")),
                RateLimit.parse("login_ip", settings.get("login_ip")),
                RateLimit.parse("password_reset", settings.get("password_reset")),
                RateLimit.parse("password_reset_ip", settings.get("password_reset_ip")),
                RateLimit.parse("email_verification", settings.get("email_verification")),
                RateLimit.parse("refresh", settings.get("refresh")),
                RateLimit.parse("search", settings.get("search")),
                RateLimit.parse("idempotency_ip", settings.get("idempotency_ip")));
    }
}

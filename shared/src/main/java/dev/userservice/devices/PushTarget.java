package dev.userservice.devices;

import java.time.Instant;

/**
 * An active device as a push sender needs it, and as the user's push-targets summary stores it: where to send
 * ({@code token}, {@code platform}), the session that must still live for it ({@code sessionId} and
 * {@code sessionCreatedAt}, both null for a device a service registered), and when it was last seen (which device
 * gives way when the user has too many).
 */
public record PushTarget(String deviceId, String token, String platform, String sessionId, Instant sessionCreatedAt,
                         Instant lastSeenAt) {}

package dev.userservice.sessions;

import java.time.Duration;
import java.time.Instant;

/**
 * A sign-in: one refresh-token family. It ends when revoked, after {@code idle} without use, or at its absolute
 * expiry, whichever comes first.
 */
public record Session(
        String id,
        String userId,
        String deviceName,
        String userAgent,
        String ip,
        Instant createdAt,
        Instant lastUsedAt,
        Instant absoluteExpiry,
        Instant revokedAt) {

    public Instant expiry(Duration idle) {
        Instant idleExpiry = lastUsedAt.plus(idle);
        return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
    }

    public boolean isActive(Instant now, Duration idle) {
        return revokedAt == null && now.isBefore(expiry(idle));
    }

    public Session usedAt(Instant now) {
        return new Session(id, userId, deviceName, userAgent, ip, createdAt, now, absoluteExpiry, revokedAt);
    }
}

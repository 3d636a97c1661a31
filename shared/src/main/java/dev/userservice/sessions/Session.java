package dev.userservice.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

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
    private static final int USER_AGENT_MAX_LENGTH = 512;

    /**
     * A new session of {@code userId}, begun at {@code now} from {@code client} and ending {@code maxLifetime} later
     * at the latest. The client's user agent is kept to its first {@value #USER_AGENT_MAX_LENGTH} characters.
     */
    public static Session start(String userId, String deviceName, Client client, Instant now, Duration maxLifetime) {
        String userAgent = client.userAgent() == null ? null
                : client.userAgent().substring(0, Math.min(client.userAgent().length(), USER_AGENT_MAX_LENGTH));
        return new Session(UUID.randomUUID().toString(), userId, deviceName, userAgent, client.ip(),
                now, now, now.plus(maxLifetime), null);
    }

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

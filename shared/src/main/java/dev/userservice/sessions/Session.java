package dev.userservice.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A sign-in: one refresh-token family. It ends when revoked, after {@code idle} without use, or at its absolute
 * expiry, whichever comes first; an ended session stays readable in its owner's history for
 * {@link #HISTORY_RETENTION}, with when and why it ended.
 *
 * @param endReason why it was revoked, recorded with {@code revokedAt}; null while it is not revoked
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
        Instant revokedAt,
        SessionEnd endReason) {
    /** How long an ended session stays in its owner's history. */
    public static final Duration HISTORY_RETENTION = Duration.ofDays(30);
    private static final int USER_AGENT_MAX_LENGTH = 512;

    /** When and why a session ended. */
    public record Ending(Instant at, SessionEnd reason) {}

    /** A session not revoked. */
    public Session(String id, String userId, String deviceName, String userAgent, String ip, Instant createdAt,
                   Instant lastUsedAt, Instant absoluteExpiry, Instant revokedAt) {
        this(id, userId, deviceName, userAgent, ip, createdAt, lastUsedAt, absoluteExpiry, revokedAt,
                revokedAt == null ? null : SessionEnd.REVOKED);
    }

    /**
     * A new session of {@code userId}, begun at {@code now} from {@code client} and ending {@code maxLifetime} later
     * at the latest. The client's user agent is kept to its first {@value #USER_AGENT_MAX_LENGTH} characters.
     */
    public static Session start(String userId, String deviceName, Client client, Instant now, Duration maxLifetime) {
        String userAgent = client.userAgent() == null ? null
                : client.userAgent().substring(0, Math.min(client.userAgent().length(), USER_AGENT_MAX_LENGTH));
        return new Session(UUID.randomUUID().toString(), userId, deviceName, userAgent, client.ip(),
                now, now, now.plus(maxLifetime), null, null);
    }

    public Instant expiry(Duration idle) {
        Instant idleExpiry = lastUsedAt.plus(idle);
        return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
    }

    public boolean isActive(Instant now, Duration idle) {
        return revokedAt == null && now.isBefore(expiry(idle));
    }

    public Session usedAt(Instant now) {
        return new Session(id, userId, deviceName, userAgent, ip, createdAt, now, absoluteExpiry, revokedAt, endReason);
    }

    /** This session revoked at {@code at} for {@code reason}, unless it was revoked already. */
    public Session revoked(Instant at, SessionEnd reason) {
        return revokedAt != null ? this
                : new Session(id, userId, deviceName, userAgent, ip, createdAt, lastUsedAt, absoluteExpiry, at, reason);
    }

    /**
     * When and why it ended, if it has by {@code now}: revoked with its recorded reason, or, when it ran out first
     * (a revocation after its expiry ends nothing), expired idle or at its absolute expiry.
     */
    public Optional<Ending> ending(Instant now, Duration idle) {
        Instant expiry = expiry(idle);
        if (revokedAt != null && revokedAt.isBefore(expiry)) {
            return Optional.of(new Ending(revokedAt, endReason == null ? SessionEnd.REVOKED : endReason));
        }
        if (now.isBefore(expiry)) {
            return Optional.empty();
        }
        return Optional.of(new Ending(expiry, expiry.isBefore(absoluteExpiry) ? SessionEnd.EXPIRED_IDLE : SessionEnd.EXPIRED_ABSOLUTE));
    }

    /** Until when the stored session is kept if it is not revoked: its history's span after it would run out. */
    public Instant retainedUntil(Duration idle) {
        return retainedAfterEndingAt(expiry(idle));
    }

    /** Until when a session that ended at {@code endedAt} is kept in its owner's history. */
    public static Instant retainedAfterEndingAt(Instant endedAt) {
        return endedAt.plus(HISTORY_RETENTION);
    }
}

package dev.userservice.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sessions kept in memory with the DynamoDB store's rules, counting the reads a revocation check costs. */
final class InMemorySessionStore implements SessionStore {
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    int reads;

    @Override
    public synchronized void create(Session session, String refreshTokenHash) {
        sessions.put(session.id(), session);
    }

    @Override
    public synchronized Optional<Session> find(String userId, String sessionId, boolean consistent) {
        reads++;
        return Optional.ofNullable(sessions.get(sessionId)).filter(session -> session.userId().equals(userId));
    }

    /** Owners whose account no longer accepts their sessions (disabled, deleted, or reset). */
    final java.util.Set<String> refusingOwners = new java.util.HashSet<>();

    @Override
    public synchronized Optional<Session> findAcceptedByOwner(String userId, String sessionId) {
        return refusingOwners.contains(userId) ? Optional.empty() : find(userId, sessionId, true);
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String hash) {
        return Optional.empty();
    }

    @Override
    public boolean rotate(RefreshToken presented, String nextHash, Session used) {
        return false;
    }

    @Override
    public synchronized void revoke(String userId, String sessionId, Instant at) {
        sessions.computeIfPresent(sessionId, (id, session) -> new Session(session.id(), session.userId(), session.deviceName(),
                session.userAgent(), session.ip(), session.createdAt(), session.lastUsedAt(), session.absoluteExpiry(), at));
    }

    @Override
    public synchronized List<Session> listActive(String userId, Instant now, Duration idleTimeout) {
        return sessions.values().stream()
                .filter(session -> session.userId().equals(userId) && session.isActive(now, idleTimeout))
                .sorted(Comparator.comparing(Session::createdAt).reversed())
                .toList();
    }
}

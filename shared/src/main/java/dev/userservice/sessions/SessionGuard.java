package dev.userservice.sessions;

import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a session still lives, asked by every authenticated request, and the one way sessions end early.
 *
 * <p>The answer costs one cache round trip: a revoked marker (kept as long as an access token of the session can
 * live) wins over an active marker (kept {@link #ACTIVE_FOR}); with neither, the session and its owner's account are
 * read consistently and the answer cached. Reading the account too means a disabled or deleted account, or a
 * password reset, ends the sessions even if the function that did it died before revoking them one by one. Revocation writes the table first, then the revoked marker, so tokens are refused at once; if the
 * cache was down during a revocation, an active marker cached before it is believed for at most
 * {@link #ACTIVE_FOR}. With the cache down every check reads the table.
 */
public final class SessionGuard {
    static final Duration ACTIVE_FOR = Duration.ofMinutes(1);

    private final SessionStore sessions;
    private final Cache cache;
    private final Duration idleTimeout;
    private final Duration revokedFor;
    private final Clock clock;

    /** {@code accessTokenLifetime}: how long a revoked marker must outlive the session's newest token. */
    public SessionGuard(SessionStore sessions, Cache cache, Duration idleTimeout, Duration accessTokenLifetime, Clock clock) {
        this.sessions = sessions;
        this.cache = cache;
        this.idleTimeout = idleTimeout;
        this.revokedFor = accessTokenLifetime.plusMinutes(1);
        this.clock = clock;
    }

    public boolean isAlive(String userId, String sessionId) {
        List<Optional<String>> cached = cache.getAll(CacheKeys.sessionRevoked(userId, sessionId),
                CacheKeys.sessionActive(userId, sessionId));
        if (cached.get(0).isPresent()) {
            return false;
        }
        if (cached.get(1).isPresent()) {
            return true;
        }
        Instant now = clock.instant();
        Optional<Session> live = sessions.findLive(userId, sessionId, now, idleTimeout);
        // Fills, which a cache that just failed skips: what the table said is no revocation of this request's making,
        // and against a dead cache each write would cost a token of an ended session a timeout. A revocation since
        // this read began wins over the active marker, and its own marker says so anyway. The active marker ends with
        // the session at the latest, so a session about to expire is not accepted for a minute after it has.
        if (live.isEmpty()) {
            cache.fill(CacheKeys.sessionRevoked(userId, sessionId), "1", revokedFor, now);
            return false;
        }
        // Whole seconds, as the cache keeps them; under one left, nothing is cached.
        Duration left = Duration.ofSeconds(Duration.between(now, live.get().expiry(idleTimeout)).toSeconds());
        if (left.isPositive()) {
            cache.fill(CacheKeys.sessionActive(userId, sessionId), "1", left.compareTo(ACTIVE_FOR) < 0 ? left : ACTIVE_FOR, now);
        }
        return true;
    }

    /**
     * Ends one session: its refresh token stops working and its access tokens are refused from now on. Its devices
     * end with it (in the store's transaction), so the user's cached views are forgotten once that has committed.
     */
    public void revoke(String userId, String sessionId, SessionEnd reason) {
        sessions.revoke(userId, sessionId, clock.instant(), reason);
        ended(userId, List.of(sessionId));
    }

    /**
     * After the store ended these sessions of the user (with their devices): the cache learns it, in two round trips
     * however many they are, the revoked markers first. Against a dead cache each round trip waits out its timeout,
     * which a hundred sessions must not multiply.
     */
    public void ended(String userId, List<String> sessionIds) {
        forget(userId, sessionIds, sessionIds);
    }

    /**
     * Revoked markers for the sessions the store {@code ended}, and no active marker left for any {@code planned} to
     * end: one whose end failed is judged by the table at its next check, as alive as the table says, rather than
     * refused by a marker for a quarter of an hour while its refresh token still works.
     */
    private void forget(String userId, List<String> ended, List<String> planned) {
        if (planned.isEmpty()) {
            return;
        }
        if (!ended.isEmpty()) {
            Map<String, String> revoked = new LinkedHashMap<>();
            ended.forEach(sessionId -> revoked.put(CacheKeys.sessionRevoked(userId, sessionId), "1"));
            cache.putAll(revoked, revokedFor);
        }
        cache.delete(Stream.concat(planned.stream().map(sessionId -> CacheKeys.sessionActive(userId, sessionId)),
                        Arrays.stream(CacheKeys.ofUser(userId)))
                .toArray(String[]::new));
    }

    /**
     * The ids of the user's live sessions, for a change after which their items may be gone before
     * {@link #revokeAll} reads them (an account deletion, whose eraser the outbox starts within moments): hand them
     * to {@link #ended} once the change is stored, so their access tokens are refused whatever the eraser did first.
     */
    public List<String> liveSessionIds(String userId) {
        return sessions.listActive(userId, clock.instant(), idleTimeout).stream().map(Session::id).toList();
    }

    /**
     * Ends every live session of the user but {@code keep} (the caller's own, when it stays signed in), then tells
     * the cache of them all at once, even when a revocation failed: a session whose end failed loses its active
     * marker, so its next check reads the table, where the write before may have ended it already (a password's or
     * an account's session cutoff) and otherwise the caller's retry, or the next sign-in beyond the limit, ends it.
     * A function that dies in between leaves active markers believed for at most {@link #ACTIVE_FOR}, as a cache
     * down during a revocation does.
     */
    public void revokeAll(String userId, Optional<String> keep, SessionEnd reason) {
        revokeEach(userId, sessions.listActive(userId, clock.instant(), idleTimeout).stream()
                .map(Session::id)
                .filter(sessionId -> keep.isEmpty() || !keep.get().equals(sessionId))
                .toList(), reason);
    }

    /** Ends these sessions of the user, then tells the cache of them all at once, as {@link #revokeAll} does. */
    public void revokeEach(String userId, List<String> sessionIds, SessionEnd reason) {
        List<String> revoked = new ArrayList<>();
        try {
            sessionIds.forEach(sessionId -> {
                sessions.revoke(userId, sessionId, clock.instant(), reason);
                revoked.add(sessionId);
            });
        } finally {
            forget(userId, revoked, sessionIds);
        }
    }
}

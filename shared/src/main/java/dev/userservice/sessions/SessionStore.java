package dev.userservice.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where sessions and their refresh tokens live. */
public interface SessionStore {

    default void create(Session session, String refreshTokenHash) {
        createEnding(session, refreshTokenHash, Optional.empty(), Optional.empty());
    }

    /**
     * Creates the session and ends the same user's session {@code ended}, if any, at its start (with what goes with
     * a session's end, as {@link #revoke} does, and {@link SessionEnd#SESSION_LIMIT} as the reason), in one
     * transaction. {@code ended} already gone or ended: {@link LiveSessionsChangedException}, with nothing written.
     * One at most: two ends in one transaction would both write the user's active devices.
     *
     * <p>With {@code signedInWith}, only while the account's password hash is still the one checked, and storing its
     * upgrade in the same transaction: false, with nothing written, when another request replaced the hash after the
     * sign-in checked it (a change or reset, or another sign-in's upgrade). Otherwise the new session could be
     * written after a change listed the sessions it ends, and outlive it.
     */
    boolean createEnding(Session session, String refreshTokenHash, Optional<String> ended, Optional<CheckedPassword> signedInWith);

    /** {@code consistent} reads see a revocation made a moment ago; revocation checks use them. */
    Optional<Session> find(String userId, String sessionId, boolean consistent);

    /**
     * The session, read consistently with its owner's account in one round trip, and only while the account
     * accepts it: the account exists, is active, and has not ended its older sessions (a password reset does).
     */
    Optional<Session> findAcceptedByOwner(String userId, String sessionId);

    /**
     * The session while it lives, as every check of one judges it: its account accepts it ({@link #findAcceptedByOwner})
     * and it has neither been revoked nor run out at {@code now}.
     */
    default Optional<Session> findLive(String userId, String sessionId, Instant now, Duration idleTimeout) {
        return findAcceptedByOwner(userId, sessionId).filter(session -> session.isActive(now, idleTimeout));
    }

    Optional<RefreshToken> findRefreshToken(String hash);

    /**
     * Retires {@code presented}, makes {@code nextHash} the session's current refresh token and records the use,
     * atomically. False, with nothing changed, when {@code presented} is no longer current or the session has
     * ended, which a concurrent rotation or a revocation causes.
     */
    boolean rotate(RefreshToken presented, String nextHash, Session used);

    /**
     * Ends the session at {@code at} for {@code reason}, both recorded in the one write that ends it, and keeps it
     * for its owner's history ({@link Session#HISTORY_RETENTION}); a session revoked already keeps its first end.
     */
    void revoke(String userId, String sessionId, Instant at, SessionEnd reason);

    /** Every stored session of the user, live or ended (those still in their history), newest first. */
    List<Session> listAll(String userId);

    /**
     * As {@link #listAll}, the way the user's session history tells it: a session its account's cutoff has ended (a
     * password change's or reset's, a loss of access's) reads as ended then, for that reason, even while its own
     * revocation, which follows the cutoff's write and may have failed, is still to come. {@code unrevokedOnly}: only
     * the sessions not revoked, all an active listing needs. A store that keeps no cutoff answers {@link #listAll}.
     */
    default List<Session> listHistory(String userId, boolean unrevokedOnly) {
        return listAll(userId).stream().filter(session -> !unrevokedOnly || session.revokedAt() == null).toList();
    }

    /** The user's sessions that are neither revoked nor expired at {@code now}, newest first. */
    default List<Session> listActive(String userId, Instant now, Duration idleTimeout) {
        return listAll(userId).stream().filter(session -> session.isActive(now, idleTimeout)).toList();
    }

    /**
     * As {@link #listActive}, at a cost bounded by the live sessions, not by the ended ones kept for the history:
     * what a sign-in counts against the limit. A store may leave out sessions stored before it kept that bound
     * (they end by themselves within the sessions' lifetime); ending every session reads {@link #listActive}.
     */
    default List<Session> listLive(String userId, Instant now, Duration idleTimeout) {
        return listActive(userId, now, idleTimeout);
    }

    /**
     * At least as many as {@link #listLive} finds, for less than reading them: a store may count what marks a live
     * session without the sessions themselves (a mark that outlives its session's idle end is counted too).
     */
    default int liveAtMost(String userId, Instant now, Duration idleTimeout) {
        return listLive(userId, now, idleTimeout).size();
    }
}

package dev.userservice.testing;

import dev.userservice.sessions.CheckedPassword;
import dev.userservice.sessions.LiveSessionsChangedException;
import dev.userservice.sessions.RefreshToken;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Sessions and their refresh tokens kept in memory with the DynamoDB store's rules (a rotation retires the token
 * presented and succeeds only while it is current and its session unrevoked), counting the reads a revocation check
 * costs. Records are immutable, so what it answers are copies.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    /** Owners whose account no longer accepts their sessions (disabled, deleted, or reset). */
    private final Set<String> refusingOwners = new HashSet<>();
    /** Whether the owner's account accepts a session; InMemoryAccounts answers it from the accounts it holds. */
    private Predicate<Session> ownerAccepts = session -> true;
    /** Whether the user's password hash is still this one; InMemoryAccounts answers it from the accounts it holds. */
    private BiPredicate<String, CheckedPassword> passwordIsCurrent = (userId, checked) -> true;
    /** Stores a sign-in's upgrade of the user's password hash; InMemoryAccounts stores it in the account. */
    private BiConsumer<String, String> passwordUpgrades = (userId, passwordHash) -> {};
    private Runnable beforeNextSession = () -> {};
    private boolean failRevocations;
    private Runnable beforeEachRevocation = () -> {};
    private int reads;

    /** How many single-session reads were made. */
    public synchronized int reads() {
        return reads;
    }

    /** From now on, the user's account refuses every session, as a disabled, deleted or reset account does. */
    public synchronized void refuseSessionsOf(String userId) {
        refusingOwners.add(userId);
    }

    /** Deletes the user's sessions and refresh tokens, as the account eraser does. */
    synchronized void eraseSessionsOf(String userId) {
        sessions.values().removeIf(session -> session.userId().equals(userId));
        refreshTokens.values().removeIf(token -> token.userId().equals(userId));
    }

    synchronized void judgeOwnersBy(Predicate<Session> accepts) {
        this.ownerAccepts = accepts;
    }

    synchronized void judgePasswordsBy(BiPredicate<String, CheckedPassword> isCurrent, BiConsumer<String, String> upgrades) {
        this.passwordIsCurrent = isCurrent;
        this.passwordUpgrades = upgrades;
    }

    /** From now on every revocation throws, as a throttled table or a function out of time does half way. */
    public synchronized void failRevocations() {
        failRevocations = true;
    }

    /** Runs {@code check} before every revocation from now on: what another request sees while they run. */
    public synchronized void beforeEachRevocation(Runnable check) {
        this.beforeEachRevocation = check;
    }

    /** Runs {@code change} once, just before the next session is written: a request landing while a sign-in runs. */
    public synchronized void beforeTheNextSessionIsWritten(Runnable change) {
        this.beforeNextSession = change;
    }

    /** The session by id, whoever owns it, as stored. */
    public synchronized Optional<Session> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public synchronized boolean createEnding(Session session, String refreshTokenHash, Optional<String> ended,
                                             Optional<CheckedPassword> signedInWith) {
        Runnable meanwhile = beforeNextSession;
        beforeNextSession = () -> {};
        meanwhile.run();
        if (signedInWith.isPresent() && !passwordIsCurrent.test(session.userId(), signedInWith.get())) {
            return false;
        }
        if (sessions.containsKey(session.id()) || refreshTokens.containsKey(refreshTokenHash)) {
            throw new IllegalStateException("A session or refresh token with this key exists");
        }
        if (ended.isPresent() && Optional.ofNullable(sessions.get(ended.get())).filter(open -> open.revokedAt() == null).isEmpty()) {
            throw new LiveSessionsChangedException();
        }
        ended.ifPresent(id -> revoke(session.userId(), id, session.createdAt(), SessionEnd.SESSION_LIMIT));
        sessions.put(session.id(), session);
        refreshTokens.put(refreshTokenHash, new RefreshToken(refreshTokenHash, session.userId(), session.id(), true));
        signedInWith.flatMap(CheckedPassword::upgrade).ifPresent(upgrade -> passwordUpgrades.accept(session.userId(), upgrade));
        return true;
    }

    @Override
    public synchronized Optional<Session> find(String userId, String sessionId, boolean consistent) {
        reads++;
        return Optional.ofNullable(sessions.get(sessionId)).filter(session -> session.userId().equals(userId));
    }

    @Override
    public synchronized Optional<Session> findAcceptedByOwner(String userId, String sessionId) {
        return refusingOwners.contains(userId) ? Optional.empty()
                : find(userId, sessionId, true).filter(ownerAccepts);
    }

    @Override
    public synchronized Optional<RefreshToken> findRefreshToken(String hash) {
        return Optional.ofNullable(refreshTokens.get(hash));
    }

    @Override
    public synchronized boolean rotate(RefreshToken presented, String nextHash, Session used) {
        RefreshToken stored = refreshTokens.get(presented.hash());
        Session session = sessions.get(presented.sessionId());
        if (stored == null || !stored.current() || session == null || session.revokedAt() != null) {
            return false;
        }
        refreshTokens.put(stored.hash(), new RefreshToken(stored.hash(), stored.userId(), stored.sessionId(), false));
        refreshTokens.put(nextHash, new RefreshToken(nextHash, stored.userId(), stored.sessionId(), true));
        sessions.put(session.id(), used);
        return true;
    }

    @Override
    public synchronized void revoke(String userId, String sessionId, Instant at, SessionEnd reason) {
        beforeEachRevocation.run();
        if (failRevocations) {
            throw new IllegalStateException("the table did not answer");
        }
        sessions.computeIfPresent(sessionId, (id, session) -> session.userId().equals(userId) ? session.revoked(at, reason) : session);
    }

    @Override
    public synchronized List<Session> listAll(String userId) {
        return sessions.values().stream()
                .filter(session -> session.userId().equals(userId))
                .sorted(Comparator.comparing(Session::createdAt).reversed())
                .toList();
    }
}

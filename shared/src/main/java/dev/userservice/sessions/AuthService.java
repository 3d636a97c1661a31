package dev.userservice.sessions;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.Principal;
import dev.userservice.auth.SecureTokens;
import dev.userservice.concurrency.FollowUp;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions: sign-in, refresh-token rotation with reuse detection, sign-out, and the check every authenticated
 * request makes that its token's session is still alive. Registration, which also creates the account, is
 * {@code accounts.RegistrationService}.
 */
public final class AuthService {
    /** How many times a sign-in plans which sessions its start ends, when others' starts keep ending them first. */
    static final int SESSION_PLANS = 5;
    /** Begins the login limit's key of a username, apart from every well-formed email's (a username has no {@code @}). */
    private static final String USERNAME_KEY_PREFIX = "username:";

    private final UserStore users;
    private final SessionStore sessions;
    private final SessionGuard guard;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Duration sessionIdleTimeout;
    private final Duration sessionMaxLifetime;
    private final SessionLimit sessionLimit;
    private final Clock clock;

    public AuthService(UserStore users, SessionStore sessions, SessionGuard guard, AccessTokens accessTokens,
                       PasswordHasher hasher, RateLimiter limiter, RateLimits limits,
                       Duration sessionIdleTimeout, Duration sessionMaxLifetime, SessionLimit sessionLimit, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.guard = guard;
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.limiter = limiter;
        this.limits = limits;
        this.sessionIdleTimeout = sessionIdleTimeout;
        this.sessionMaxLifetime = sessionMaxLifetime;
        this.sessionLimit = sessionLimit;
        this.clock = clock;
    }

    /**
     * Signs in with email (or username) and password. Unknown emails and usernames cost the same bcrypt work as
     * wrong passwords. A sign-in beyond the user's live-session limit ends the oldest session as the new one starts
     * ({@link SessionLimit}). A password hashed at a lower cost than today's is hashed again at today's, and stored
     * with the session ({@link CheckedPassword}).
     */
    public TokenGrant login(LoginRequest request, Client client) {
        String email = request.email();
        String password = request.password();
        // Counted before the password is checked, so guessing costs attempts whether it succeeds or not.
        limiter.enforcePerIp(limits.loginPerIp(), client.ip());
        Optional<User> found;
        if (request.username() != null) {
            // A budget of the name's own, counted before it is looked up: counted against its account's email, a
            // stranger who spent it through a username (search shows them) would learn whose email that is from the
            // next sign-in by email answering 429 rather than 401.
            Optional<String> key = usernameKey(request.username());
            limiter.enforce(limits.loginPerEmail(), USERNAME_KEY_PREFIX + key.orElse(request.username()));
            found = key.flatMap(users::findByUsername);
        } else {
            Optional<String> normalised = normalisedEmail(email);
            limiter.enforce(limits.loginPerEmail(), normalised.orElse(email));
            found = normalised.flatMap(users::findByEmail);
        }
        if (found.isEmpty()) {
            // The reads and the hashing a known name costs, so the answer's time does not tell whether it is known.
            users.findById(UUID.randomUUID().toString());
            hasher.verifyDecoy(password);
            throw new ServiceException(ErrorCode.INVALID_CREDENTIALS);
        }
        User user = found.get();
        for (int check = 1; ; check++) {
            // Taken before the hash is checked: a reset written after this session is stored ends it by its cutoff,
            // taken just before its write, which this start then precedes by at least the check's time.
            Instant now = clock.instant();
            if (!hasher.verify(password, user.passwordHash())) {
                throw new ServiceException(ErrorCode.INVALID_CREDENTIALS);
            }
            if (!user.isActive()) {
                throw new ServiceException(ErrorCode.ACCOUNT_DISABLED);
            }
            CheckedPassword checked = new CheckedPassword(user.passwordHash(),
                    hasher.isOutdated(user.passwordHash()) ? Optional.of(hasher.hash(password)) : Optional.empty(), user.role());
            Optional<TokenGrant> started = startSession(user, request.deviceName(), client, now, checked);
            if (started.isPresent()) {
                return started.get();
            }
            // The hash was replaced while this sign-in checked it: by a change or reset, after which this password
            // may no longer sign in, or by another sign-in's upgrade, after which it does; or the role changed, which
            // the token would claim, or the account was disabled. Checked once more.
            if (check == 2) {
                throw new ServiceException(ErrorCode.INVALID_CREDENTIALS);
            }
            user = users.findById(user.id()).orElseThrow(() -> new ServiceException(ErrorCode.INVALID_CREDENTIALS));
        }
    }

    /**
     * Starts a session of {@code user}, ending the oldest beyond the limit in the same transaction; empty when the
     * password hash checked was replaced meanwhile. The sessions to end are planned again when one of them ended
     * since they were read: two sign-ins racing each other plan to end the same oldest session, and the second, had
     * it gone ahead without ending one, would leave a session beyond the limit.
     */
    private Optional<TokenGrant> startSession(User user, String deviceName, Client client, Instant now, CheckedPassword checked) {
        // Each plan lost means another sign-in of the account was stored, which the per-email limit keeps few; the
        // store's own retries already cover lost races, so this loop stays short.
        for (int plan = 1; plan <= SESSION_PLANS; plan++) {
            String refreshToken = SecureTokens.newToken();
            Session session = Session.start(user.id(), deviceName, client, now, sessionMaxLifetime);
            // The oldest ends with the start; any more (after the limit was lowered, or sign-ins at once that each found
            // room) end after it, where a failure is logged, not the sign-in's: its session is stored.
            Optional<String> ended = sessionLimit.endedByStart(sessions.listLive(user.id(), now, sessionIdleTimeout)).stream()
                    .map(Session::id).findFirst();
            try {
                if (!sessions.createEnding(session, SecureTokens.hash(refreshToken), ended, Optional.of(checked))) {
                    return Optional.empty();
                }
            } catch (LiveSessionsChangedException e) {
                continue;
            }
            guard.ended(user.id(), ended.stream().toList());
            FollowUp.run("ending the sessions beyond the limit", () -> endBeyondLimit(user.id(), session.id()));
            return Optional.of(TokenGrant.issue(accessTokens, user, session, refreshToken));
        }
        throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "Too many sign-ins at once; try again");
    }

    /**
     * Sign-ins at once that each found room for one more session all went in, past the limit, since no item of theirs
     * is common to their transactions. Each reads the set again once stored and ends what is beyond the limit, oldest
     * first, so every one of them picks the same sessions, and never the one it started.
     */
    private void endBeyondLimit(String userId, String started) {
        Instant now = clock.instant();
        // Nearly always within the limit: counted first, for one small read, and the sessions read only when over it.
        if (!sessionLimit.exceededBy(sessions.liveAtMost(userId, now, sessionIdleTimeout))) {
            return;
        }
        List<String> beyond = sessionLimit.beyondLimit(sessions.listLive(userId, now, sessionIdleTimeout), started)
                .stream().map(Session::id).toList();
        guard.revokeEach(userId, beyond, SessionEnd.SESSION_LIMIT);
    }

    /**
     * Exchanges a refresh token for a new pair and retires it. A retired token presented again means it was
     * copied: the whole session is revoked, so neither the thief nor the owner can go on with it.
     */
    public TokenGrant refresh(RefreshRequest request) {
        Instant now = clock.instant();
        RefreshToken presented = sessions.findRefreshToken(SecureTokens.hash(request.refreshToken()))
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        // Reuse is judged before the limit: a thief spending the session's refreshes must not turn its owner's
        // retired token into a 429 that leaves the stolen session alive.
        if (!presented.current()) {
            throw reused(presented, now);
        }
        limiter.enforce(limits.refresh(), presented.sessionId());
        // As its owner's account accepts it: a password reset or change ended it even if its revocation never came.
        Session session = sessions.findLive(presented.userId(), presented.sessionId(), now, sessionIdleTimeout)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        // Disabled since the session was read: its sessions ended with the disable, as the session read says otherwise.
        User user = users.findById(session.userId()).filter(User::isActive)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        String nextToken = SecureTokens.newToken();
        if (!sessions.rotate(presented, SecureTokens.hash(nextToken), session.usedAt(now))) {
            // Another request rotated this token first: it was presented twice, which is reuse.
            guard.revoke(session.userId(), session.id(), SessionEnd.REFRESH_REUSE);
            throw new ServiceException(ErrorCode.INVALID_TOKEN);
        }
        return TokenGrant.issue(accessTokens, user, session, nextToken);
    }

    /**
     * Ends the caller's session: its refresh token stops working and its access tokens are refused at once. A
     * {@code refreshToken} sent along (Simple JWT clients sign out by naming theirs) that is another session of the
     * caller's ends too, rather than stay usable for a month by a client that believes itself signed out (a retired
     * one is reuse, which ends its session, as at a refresh). Another user's changes nothing of theirs: an app
     * switching accounts may hold one, and the access token names whose sign-out this is.
     */
    public void logout(Principal caller, Optional<String> refreshToken) {
        guard.revoke(caller.subject(), caller.sessionId(), SessionEnd.LOGOUT);
        Instant now = clock.instant();
        refreshToken.flatMap(token -> sessions.findRefreshToken(SecureTokens.hash(token)))
                .filter(presented -> presented.userId().equals(caller.subject())
                        && !presented.sessionId().equals(caller.sessionId()))
                .ifPresent(presented -> {
                    if (!presented.current()) {
                        reused(presented, now); // its session ends; the caller's sign-out answers all the same
                    } else {
                        sessions.findLive(presented.userId(), presented.sessionId(), now, sessionIdleTimeout)
                                .ifPresent(session -> guard.revoke(session.userId(), session.id(), SessionEnd.LOGOUT));
                    }
                });
    }

    /**
     * Ends the session of {@code refreshToken}, for a client signing out with no access token the service still
     * accepts (an access token lasts minutes, its session a month). A retired token is reuse, as at a refresh.
     */
    public void logout(String refreshToken) {
        Instant now = clock.instant();
        RefreshToken presented = sessions.findRefreshToken(SecureTokens.hash(refreshToken))
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        if (!presented.current()) {
            throw reused(presented, now);
        }
        Session session = sessions.findLive(presented.userId(), presented.sessionId(), now, sessionIdleTimeout)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        guard.revoke(session.userId(), session.id(), SessionEnd.LOGOUT);
    }

    /**
     * A retired refresh token presented again was copied: its session ends, so neither the thief nor the owner goes
     * on with it. Ended already (by this reuse's first presentation, by running out, by its account's cutoff): one
     * read, not a revocation that would restate its end and keep it 30 days from now rather than from when it ended.
     */
    private ServiceException reused(RefreshToken presented, Instant now) {
        if (sessions.findLive(presented.userId(), presented.sessionId(), now, sessionIdleTimeout).isPresent()) {
            guard.revoke(presented.userId(), presented.sessionId(), SessionEnd.REFRESH_REUSE);
        }
        return new ServiceException(ErrorCode.INVALID_TOKEN);
    }

    /**
     * A valid signature is not enough: a user's token is accepted only while its session lives, so that a
     * sign-out a moment ago already counts (see {@link SessionGuard}).
     */
    public Principal authenticate(String bearerToken) {
        Principal principal = accessTokens.verify(bearerToken);
        if (!principal.isService() && !guard.isAlive(principal.subject(), principal.sessionId())) {
            throw new ServiceException(ErrorCode.UNAUTHORIZED);
        }
        return principal;
    }

    private static Optional<String> usernameKey(String username) {
        try {
            return Optional.of(Text.usernameKey(Text.username(username)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> normalisedEmail(String email) {
        try {
            return Optional.of(Text.email(email));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

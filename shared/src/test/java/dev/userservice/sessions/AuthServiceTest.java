package dev.userservice.sessions;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.accounts.PasswordChange;
import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.User;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthServiceTest {
    private final IdentityServices identity = new IdentityServices();
    private final AuthService auth = identity.auth;

    @Test
    void theRightPasswordStartsASessionWhoseTokenIsAccepted() {
        TokenGrant registered = identity.register("alice@example.com");

        TokenGrant grant = auth.login(new LoginRequest("Alice@Example.com ", IdentityServices.PASSWORD, "laptop"), identity.client(1));

        Principal principal = identity.principal(grant);
        assertEquals(registered.user().id(), principal.subject());
        assertNotEquals(identity.principal(registered).sessionId(), principal.sessionId(), "a sign-in is a session of its own");
        assertEquals("laptop", identity.sessionStore.session(principal.sessionId()).orElseThrow().deviceName());
    }

    @Test
    void aSignInBeyondTheLiveSessionLimitEndsTheOldestSession() {
        TokenGrant oldest = identity.register("alice@example.com");
        String userId = oldest.user().id();
        String oldestSession = identity.principal(oldest).sessionId();
        for (int i = 1; i < IdentityServices.MAX_LIVE_SESSIONS; i++) {
            identity.clock.advance(java.time.Duration.ofMinutes(1));
            auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(i));
        }
        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(userId));
        assertEquals(true, identity.guard.isAlive(userId, oldestSession), "the cache has seen it alive");

        identity.clock.advance(java.time.Duration.ofMinutes(1));
        TokenGrant newest = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(9));

        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(userId));
        assertEquals(false, identity.guard.isAlive(userId, oldestSession), "the oldest ended, in the cache too");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(oldest.refreshToken()))));
        assertEquals(true, identity.guard.isAlive(userId, identity.principal(newest).sessionId()));
    }

    /** Another sign-in ends the oldest session while this one is being stored: this one ends the next, not none. */
    @Test
    void twoSignInsRacingAtTheLimitLeaveNoSessionBeyondIt() {
        TokenGrant first = identity.register("alice@example.com");
        for (int i = 1; i < IdentityServices.MAX_LIVE_SESSIONS; i++) {
            identity.clock.advance(java.time.Duration.ofMinutes(1));
            auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(i));
        }
        identity.clock.advance(java.time.Duration.ofMinutes(1));
        identity.sessionStore.beforeTheNextSessionIsWritten(() ->
                auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(7)));

        auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(8));

        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(first.user().id()));
    }

    /**
     * One short of the limit, two sign-ins each find room for theirs and end nothing; no item is common to their
     * transactions, so both commit. The second to read the set again ends the oldest, as a sign-in at the limit would.
     */
    @Test
    void twoSignInsRacingJustBelowTheLimitLeaveNoSessionBeyondIt() {
        TokenGrant first = identity.register("alice@example.com");
        String oldestSession = identity.principal(first).sessionId();
        for (int i = 2; i < IdentityServices.MAX_LIVE_SESSIONS; i++) {
            identity.clock.advance(java.time.Duration.ofMinutes(1));
            auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(i));
        }
        identity.clock.advance(java.time.Duration.ofMinutes(1));
        TokenGrant[] racing = new TokenGrant[1];
        identity.sessionStore.beforeTheNextSessionIsWritten(() -> racing[0] =
                auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(7)));

        TokenGrant last = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(8));

        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(first.user().id()));
        assertEquals(false, identity.guard.isAlive(first.user().id(), oldestSession), "the oldest ended");
        assertEquals(true, identity.guard.isAlive(first.user().id(), identity.principal(racing[0]).sessionId()));
        assertEquals(true, identity.guard.isAlive(first.user().id(), identity.principal(last).sessionId()));
    }

    /**
     * Sign-ins at once that each found room left the account two sessions beyond the limit, and the table fails the
     * next sign-in's revocations after the one in its own transaction (a timeout under load). The sign-in is stored,
     * so it answers with its tokens; the sessions it could not end stay live, in the cache as in the table, rather than
     * refused for a quarter of an hour while their refresh tokens still work; the next sign-in ends them.
     */
    @Test
    void aSignInWhoseEndingOfTheExcessFailsAnswersAndLeavesTheExcessWhole() {
        TokenGrant first = identity.register("alice@example.com");
        String userId = first.user().id();
        for (int i = 1; i < IdentityServices.MAX_LIVE_SESSIONS + 2; i++) {
            identity.clock.advance(java.time.Duration.ofMinutes(1));
            identity.sessionStore.create(Session.start(userId, null, identity.client(i), identity.clock.instant(),
                    IdentityServices.MAX_LIFETIME), "refresh-" + i);
        }
        List<String> live = identity.sessionStore.listActive(userId, identity.clock.instant(), IdentityServices.IDLE_TIMEOUT)
                .stream().map(Session::id).toList();
        live.forEach(sessionId -> assertTrue(identity.guard.isAlive(userId, sessionId), "the cache has seen each alive"));
        AtomicInteger revocations = new AtomicInteger();
        identity.sessionStore.beforeEachRevocation(() -> {
            if (revocations.incrementAndGet() > 1) {
                throw new IllegalStateException("the table did not answer");
            }
        });

        identity.clock.advance(java.time.Duration.ofMinutes(1));
        TokenGrant signedIn = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(99));

        assertTrue(identity.guard.isAlive(userId, identity.principal(signedIn).sessionId()));
        assertEquals(IdentityServices.MAX_LIVE_SESSIONS + 2, liveSessions(userId), "the oldest ended with the sign-in, two not");
        for (String sessionId : live) {
            boolean inTheTable = identity.sessionStore.findLive(userId, sessionId, identity.clock.instant(), IdentityServices.IDLE_TIMEOUT).isPresent();
            assertEquals(inTheTable, identity.guard.isAlive(userId, sessionId), "the cache agrees with the table");
        }

        identity.sessionStore.beforeEachRevocation(() -> {});
        auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(100));
        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(userId), "the next sign-in ended the excess");
    }

    @Test
    void signInsUpToTheLimitEndNoSession() {
        TokenGrant first = identity.register("alice@example.com");
        for (int i = 1; i < IdentityServices.MAX_LIVE_SESSIONS; i++) {
            auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(i));
        }

        assertEquals(IdentityServices.MAX_LIVE_SESSIONS, liveSessions(first.user().id()));
        assertEquals(true, identity.guard.isAlive(first.user().id(), identity.principal(first).sessionId()));
    }

    /** Signed in with the old password while its owner changed it: the change must end every session but its own. */
    @Test
    void aSignInWhosePasswordIsChangedWhileItIsCheckedStartsNoSession() {
        TokenGrant owner = identity.register("alice@example.com");
        identity.sessionStore.beforeTheNextSessionIsWritten(() -> identity.passwords.change(identity.principal(owner),
                new PasswordChange(IdentityServices.PASSWORD, "a brand new passphrase")));

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "stolen laptop"), identity.client(1))));
        assertEquals(1, liveSessions(owner.user().id()), "only the session that changed the password");
    }

    /** The cost was raised since the password was set: a sign-in stores it at today's cost, and changes nothing else. */
    @Test
    void aSignInAfterTheCostWasRaisedStoresThePasswordAtTodaysCost() {
        String userId = identity.register("alice@example.com").user().id();
        User before = identity.accounts.findById(userId).orElseThrow();

        identity.authHashingAt(5).login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(1));

        User upgraded = identity.accounts.findById(userId).orElseThrow();
        assertTrue(upgraded.passwordHash().startsWith("$2b$05$"), upgraded.passwordHash());
        assertEquals(before.updatedAt(), upgraded.updatedAt(), "an upgrade is no change of the account");
        auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2));
        assertEquals(upgraded.passwordHash(), identity.accounts.findById(userId).orElseThrow().passwordHash(),
                "a lower cost keeps the stronger hash");
    }

    /** Two sign-ins at once after the cost was raised: the one whose checked hash the other upgraded still signs in. */
    @Test
    void aSignInWhoseHashAnotherSignInUpgradedMeanwhileStillSignsIn() {
        String userId = identity.register("alice@example.com").user().id();
        AuthService raised = identity.authHashingAt(5);
        identity.sessionStore.beforeTheNextSessionIsWritten(() -> raised.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "phone"), identity.client(2)));

        raised.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, "laptop"), identity.client(1));

        assertEquals(3, liveSessions(userId), "registration's, the phone's and the laptop's");
    }

    /** A reset ended the account's sessions in its own write; the function died before revoking them one by one. */
    @Test
    void aRefreshOfASessionItsAccountNoLongerAcceptsIsRefused() {
        TokenGrant grant = identity.register("alice@example.com");
        identity.sessionStore.refuseSessionsOf(grant.user().id());

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailAreRefusedAlike() {
        identity.register("alice@example.com");

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(
                new LoginRequest("alice@example.com", "not the password at all", null), identity.client(1))));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(
                new LoginRequest("nobody@example.com", IdentityServices.PASSWORD, null), identity.client(1))));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(
                new LoginRequest("not an email", IdentityServices.PASSWORD, null), identity.client(1))));
    }

    @Test
    void aDisabledAccountCannotSignInOrRefresh() {
        TokenGrant grant = identity.register("alice@example.com");
        identity.disable(grant.user().id());

        assertEquals(ErrorCode.ACCOUNT_DISABLED, refusal(() -> auth.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(1))));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))),
                "disabling ended the session the refresh token belongs to");
    }

    @Test
    void loginAttemptsFromOneIpv6SubscribersAddressesShareTheirLimit() {
        int allowed = identity.limits.loginPerIp().limit();
        for (int attempt = 0; attempt < allowed; attempt++) {
            int from = attempt + 1;
            assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(new LoginRequest("nobody" + from + "@example.com",
                    "a guess", null), new Client("2001:db8:9:9::" + Integer.toHexString(from), "tests/1.0"))));
        }

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> auth.login(new LoginRequest("nobody@example.com", "a guess", null),
                new Client("2001:db8:9:9:ffff::1", "tests/1.0"))));
    }

    @Test
    void loginAttemptsPerEmailAreCountedBeforeThePasswordIsChecked() {
        identity.register("alice@example.com");
        int allowed = identity.limits.loginPerEmail().limit();
        for (int attempt = 0; attempt < allowed; attempt++) {
            int from = attempt;
            assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> auth.login(
                    new LoginRequest("alice@example.com", "a wrong guess " + from, null), identity.client(from))));
        }

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> auth.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(99))));
    }

    @Test
    void aRefreshRotatesTheTokenAndKeepsTheSession() {
        TokenGrant grant = identity.register("alice@example.com");

        TokenGrant refreshed = auth.refresh(new RefreshRequest(grant.refreshToken()));

        assertNotEquals(grant.refreshToken(), refreshed.refreshToken());
        assertEquals(identity.principal(grant).sessionId(), identity.principal(refreshed).sessionId());
        assertEquals(refreshed.user().id(), auth.refresh(new RefreshRequest(refreshed.refreshToken())).user().id(),
                "the new refresh token works in turn");
    }

    @Test
    void aRetiredRefreshTokenPresentedAgainRevokesTheWholeSession() {
        TokenGrant grant = identity.register("alice@example.com");
        TokenGrant refreshed = auth.refresh(new RefreshRequest(grant.refreshToken()));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(refreshed.refreshToken()))),
                "the thief's copy and the owner's newer token end together");
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(refreshed.accessToken())));
    }

    /** A sign-out with the refresh token alone (its access token ran out) ends the session it names, and only that one. */
    @Test
    void aLogoutWithARefreshTokenEndsItsSession() {
        TokenGrant grant = identity.register("alice@example.com");
        TokenGrant other = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2));

        auth.logout(grant.refreshToken());

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(grant.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));
        assertEquals(other.user().id(), auth.authenticate(other.accessToken()).subject(), "and still signed in");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.logout(grant.refreshToken())), "ended already");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.logout("made-up-token")));
    }

    /**
     * A Simple JWT client signs out by naming its refresh token: one of another session (its own, a sign-in later,
     * say) ends too, rather than stay usable by a client that believes itself signed out.
     */
    @Test
    void aLogoutNamingAnotherSessionsRefreshTokenEndsBothSessions() {
        TokenGrant first = identity.register("alice@example.com");
        TokenGrant second = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2));
        TokenGrant untouched = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(3));

        auth.logout(auth.authenticate(first.accessToken()), Optional.of(second.refreshToken()));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(first.accessToken())));
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(second.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(second.refreshToken()))));
        assertEquals(untouched.user().id(), auth.authenticate(untouched.accessToken()).subject());
    }

    /** The access token names whose sign-out this is: another user's refresh token beside it ends nothing of theirs. */
    @Test
    void aLogoutNamingAnotherUsersRefreshTokenEndsOnlyTheCallersSession() {
        TokenGrant alice = identity.register("alice@example.com");
        TokenGrant bob = identity.register("bob@example.com");

        auth.logout(auth.authenticate(alice.accessToken()), Optional.of(bob.refreshToken()));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(alice.accessToken())));
        assertEquals(bob.user().id(), auth.authenticate(bob.accessToken()).subject());
        assertEquals(bob.user().id(), auth.refresh(new RefreshRequest(bob.refreshToken())).user().id());
    }

    /** Along with an access token, a refresh token that names no live session changes nothing more: the caller is signed out. */
    @Test
    void aLogoutNamingAnUnknownOrRetiredRefreshTokenStillEndsTheCallersSession() {
        TokenGrant first = identity.register("alice@example.com");
        TokenGrant second = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2));
        TokenGrant secondRefreshed = auth.refresh(new RefreshRequest(second.refreshToken()));
        TokenGrant third = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(3));

        auth.logout(auth.authenticate(first.accessToken()), Optional.of("made-up-token"));
        auth.logout(auth.authenticate(third.accessToken()), Optional.of(second.refreshToken()));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(first.accessToken())));
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(third.accessToken())));
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(secondRefreshed.accessToken())),
                "the retired token was reuse: its session ended");
    }

    /** A retired refresh token is a copy, at a sign-out as at a refresh: the session ends, and the answer says invalid. */
    @Test
    void aLogoutWithARetiredRefreshTokenEndsTheSessionAsReuse() {
        TokenGrant grant = identity.register("alice@example.com");
        TokenGrant refreshed = auth.refresh(new RefreshRequest(grant.refreshToken()));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.logout(grant.refreshToken())));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(refreshed.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(refreshed.refreshToken()))));
    }

    /** The thief refreshes as fast as the limit allows: the owner's retired token still ends the session. */
    @Test
    void aRetiredRefreshTokenEndsTheSessionWhenTheSessionsRefreshesAreSpent() {
        TokenGrant owner = identity.register("alice@example.com");
        TokenGrant thief = auth.refresh(new RefreshRequest(owner.refreshToken()));
        for (int spent = 1; spent < identity.limits.refresh().limit(); spent++) {
            thief = auth.refresh(new RefreshRequest(thief.refreshToken()));
        }
        String latest = thief.refreshToken();
        String thiefsAccess = thief.accessToken();
        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> auth.refresh(new RefreshRequest(latest))), "the limit is spent");

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(owner.refreshToken()))));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(thiefsAccess)), "the stolen session ended");
    }

    /** A session that ran out ended then: a retired token presented later neither restates its end nor keeps it longer. */
    @Test
    void aRetiredRefreshTokenOfASessionThatRanOutLeavesItsEndAsItWas() {
        TokenGrant grant = identity.register("alice@example.com");
        auth.refresh(new RefreshRequest(grant.refreshToken()));
        String sessionId = identity.principal(grant).sessionId();
        identity.clock.advance(IdentityServices.IDLE_TIMEOUT.plusDays(1));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));

        assertEquals(null, identity.sessionStore.session(sessionId).orElseThrow().revokedAt(), "it ended by running out");
    }

    /** Whether an email is an account's must not show in the time its refusal takes: the same reads either way. */
    @Test
    void aSignInWithAnUnknownEmailReadsAsMuchAsOneWithAWrongPassword() {
        identity.register("alice@example.com");
        int before = identity.accounts.idReads();
        refusal(() -> auth.login(new LoginRequest("alice@example.com", "a wrong passphrase", null), identity.client(1)));
        int known = identity.accounts.idReads() - before;

        refusal(() -> auth.login(new LoginRequest("nobody@example.com", "a wrong passphrase", null), identity.client(1)));

        assertEquals(known, identity.accounts.idReads() - before - known);
    }

    @Test
    void anUnknownRefreshTokenIsInvalid() {
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest("made-up-token"))));
    }

    @Test
    void aSessionIdleForLongerThanTheTimeoutCannotBeRefreshed() {
        TokenGrant grant = identity.register("alice@example.com");

        identity.clock.advance(IdentityServices.IDLE_TIMEOUT.plusSeconds(1));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));
    }

    @Test
    void signingOutRefusesTheSessionsAccessTokenAtOnce() {
        TokenGrant grant = identity.register("alice@example.com");
        Principal caller = identity.principal(grant);

        auth.logout(caller, Optional.empty());

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> auth.authenticate(grant.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> auth.refresh(new RefreshRequest(grant.refreshToken()))));
    }

    @Test
    void aLongUserAgentIsKeptToItsFirst512Characters() {
        identity.register("alice@example.com");

        TokenGrant grant = auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null),
                new Client("198.51.100.7", "x".repeat(600)));

        Session session = identity.sessionStore.session(identity.principal(grant).sessionId()).orElseThrow();
        assertEquals(512, session.userAgent().length());
        assertEquals("198.51.100.7", session.ip());
    }

    private int liveSessions(String userId) {
        return identity.sessionStore.listActive(userId, identity.clock.instant(), IdentityServices.IDLE_TIMEOUT).size();
    }
}

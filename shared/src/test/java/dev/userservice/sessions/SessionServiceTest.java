package dev.userservice.sessions;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.accounts.PasswordChange;
import dev.userservice.testing.IdentityServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SessionServiceTest {
    private final IdentityServices identity = new IdentityServices();
    private final SessionService sessions = identity.sessions;

    @Test
    void theListShowsLiveSessionsNewestFirstWithTheCallersMarked() {
        TokenGrant first = identity.register("alice@example.com");
        identity.clock.advance(Duration.ofMinutes(1));
        TokenGrant second = signIn();
        Principal caller = identity.principal(first);

        List<SessionView> listed = sessions.list(caller, caller.subject(), SessionState.ACTIVE);

        assertEquals(List.of(identity.principal(second).sessionId(), caller.sessionId()),
                listed.stream().map(view -> view.session().id()).toList());
        assertEquals(List.of(false, true), listed.stream().map(SessionView::current).toList());
        assertEquals(true, listed.get(1).toJson().get("current"));
    }

    @Test
    void anotherUsersSessionAnEndedOneAndAMalformedIdAreAllNotFound() {
        Principal alice = identity.principal(identity.register("alice@example.com"));
        TokenGrant bobs = identity.register("bob@example.com");
        Principal bob = identity.principal(bobs);
        String ended = identity.principal(signIn()).sessionId();
        sessions.revoke(alice, alice.subject(), ended);

        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, alice.subject(), bob.sessionId())));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, alice.subject(), ended)));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, alice.subject(), "../../etc")));
        assertEquals(bob, identity.principal(bobs), "the other user's session lives on");
    }

    /** Ended by a password change whose revocation of it failed: ended all the same, as every check of it says. */
    @Test
    void aSessionAPasswordChangeEndedIsNotFoundThoughItsRevocationFailed() {
        TokenGrant first = identity.register("alice@example.com");
        Principal alice = identity.principal(first);
        String other = identity.principal(signIn()).sessionId();
        identity.sessionStore.failRevocations();
        identity.clock.advance(Duration.ofSeconds(1));
        identity.passwords.change(alice, new dev.userservice.accounts.PasswordChange(IdentityServices.PASSWORD, "a brand new passphrase"));

        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, alice.subject(), other)));
    }

    @Test
    void revokingEverySessionEndsTheCallersToo() {
        TokenGrant first = identity.register("alice@example.com");
        TokenGrant second = signIn();

        sessions.revokeAll(identity.principal(first), identity.principal(first).subject());

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(first.accessToken())));
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(second.accessToken())));
    }

    @Test
    void endedSessionsAreListedWithWhenAndWhyTheyEndedAndAllShowsBoth() {
        TokenGrant first = identity.register("alice@example.com");
        Principal caller = identity.principal(first);
        identity.clock.advance(Duration.ofMinutes(1));
        Principal signedOut = identity.principal(signIn());
        identity.clock.advance(Duration.ofMinutes(1));
        Principal revoked = identity.principal(signIn());
        identity.clock.advance(Duration.ofMinutes(1));
        identity.auth.logout(signedOut, Optional.empty());
        Instant loggedOutAt = identity.clock.instant();
        identity.clock.advance(Duration.ofMinutes(1));
        sessions.revoke(caller, caller.subject(), revoked.sessionId());

        List<SessionView> ended = sessions.list(caller, caller.subject(), SessionState.ENDED);
        List<SessionView> all = sessions.list(caller, caller.subject(), SessionState.ALL);

        assertEquals(List.of(revoked.sessionId(), signedOut.sessionId()), ids(ended));
        assertEquals(List.of("revoked", "logout"), ended.stream().map(view -> view.toJson().get("end_reason")).toList());
        assertEquals(loggedOutAt, ended.get(1).toJson().get("ended_at"));
        assertEquals(List.of(revoked.sessionId(), signedOut.sessionId(), caller.sessionId()), ids(all));
        assertFalse(all.get(2).toJson().containsKey("end_reason"), "a live session has no end");
        assertEquals(List.of(caller.sessionId()), ids(sessions.list(caller, caller.subject(), SessionState.ACTIVE)));
    }

    @Test
    void anExpiredSessionIsRecognisedOnReadAndTheHistoryKeepsThirtyDays() {
        String first = identity.principal(identity.register("alice@example.com")).sessionId();
        Instant lastUsed = identity.clock.instant();
        identity.clock.advance(IdentityServices.IDLE_TIMEOUT.plusSeconds(1));
        Principal caller = identity.principal(signIn());

        List<SessionView> ended = sessions.list(caller, caller.subject(), SessionState.ENDED);

        assertEquals(List.of(first), ids(ended));
        assertEquals("expired_idle", ended.getFirst().toJson().get("end_reason"));
        assertEquals(lastUsed.plus(IdentityServices.IDLE_TIMEOUT), ended.getFirst().toJson().get("ended_at"));
        identity.clock.advance(Session.HISTORY_RETENTION.minus(Duration.ofSeconds(2)));
        assertTrue(ids(sessions.list(caller, caller.subject(), SessionState.ENDED)).contains(first), "still within thirty days of its end");
        identity.clock.advance(Duration.ofSeconds(2));
        assertFalse(ids(sessions.list(caller, caller.subject(), SessionState.ENDED)).contains(first), "thirty days after its end it is gone");
    }

    @Test
    void eachWayOfEndingRecordsItsReason() {
        String first = identity.principal(identity.register("alice@example.com")).sessionId();
        Principal changedIn = identity.principal(signIn());
        TokenGrant reused = signIn();
        String reusedSession = identity.principal(reused).sessionId();
        String other = identity.principal(signIn()).sessionId();

        identity.auth.refresh(new RefreshRequest(reused.refreshToken()));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(reused.refreshToken()))));
        identity.passwords.change(changedIn, new PasswordChange(IdentityServices.PASSWORD, "a brand new passphrase"));
        Principal last = identity.principal(identity.auth.login(new LoginRequest("alice@example.com", "a brand new passphrase", null), identity.client(5)));
        sessions.revokeAll(last, last.subject());

        assertEquals(Map.of(
                first, "password_changed",
                other, "password_changed",
                reusedSession, "refresh_reuse",
                changedIn.sessionId(), "logout_all",
                last.sessionId(), "logout_all"),
                sessions.list(last, last.subject(), SessionState.ENDED).stream().collect(Collectors.toMap(
                        view -> view.session().id(), view -> (String) view.toJson().get("end_reason"))));
    }

    @Test
    void anAdminListsAndEndsAnotherUsersSessionsAndTheEndsAreRecordedAsTheAdmins() {
        Principal alice = identity.principal(identity.register("alice@example.com"));
        identity.clock.advance(Duration.ofMinutes(1));
        String second = identity.principal(signIn()).sessionId();
        Principal admin = new Principal("admin-user-id", "admin-session-id", Set.of(Role.ADMIN), true, "token-id",
                identity.clock.instant().plus(Duration.ofMinutes(15)));

        assertEquals(List.of(second, alice.sessionId()), ids(sessions.list(admin, alice.subject(), SessionState.ACTIVE)));
        assertFalse(sessions.list(admin, alice.subject(), SessionState.ACTIVE).stream().anyMatch(SessionView::current),
                "none of them is the admin's");
        sessions.revoke(admin, alice.subject(), second);
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(admin, alice.subject(), second)), "ended already");
        sessions.revokeAll(admin, alice.subject());

        assertEquals(Map.of(second, "admin", alice.sessionId(), "admin"),
                sessions.list(admin, alice.subject(), SessionState.ENDED).stream().collect(Collectors.toMap(
                        view -> view.session().id(), view -> (String) view.toJson().get("end_reason"))));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.list(admin, "01J0000000000000000000000Z", SessionState.ALL)),
                "an unknown user");
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revokeAll(admin, "01J0000000000000000000000Z")));
    }

    @Test
    void theStateParameterIsActiveEndedOrAll() {
        assertEquals(SessionState.ACTIVE, SessionState.fromQuery(Map.of("page", "2")));
        assertEquals(SessionState.ENDED, SessionState.fromQuery(Map.of("state", "ended")));
        assertEquals(SessionState.ALL, SessionState.fromQuery(Map.of("state", "all")));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> SessionState.fromQuery(Map.of("state", "revoked"))));
    }

    private static List<String> ids(List<SessionView> views) {
        return views.stream().map(view -> view.session().id()).toList();
    }

    private TokenGrant signIn() {
        return identity.auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(5));
    }
}

package dev.userservice.sessions;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.testing.IdentityServices;
import java.time.Duration;
import java.util.List;
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

        List<SessionView> listed = sessions.list(caller);

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
        sessions.revoke(alice, ended);

        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, bob.sessionId())));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, ended)));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> sessions.revoke(alice, "../../etc")));
        assertEquals(bob, identity.principal(bobs), "the other user's session lives on");
    }

    @Test
    void revokingEverySessionEndsTheCallersToo() {
        TokenGrant first = identity.register("alice@example.com");
        TokenGrant second = signIn();

        sessions.revokeAll(identity.principal(first));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(first.accessToken())));
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(second.accessToken())));
    }

    private TokenGrant signIn() {
        return identity.auth.login(new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(5));
    }
}

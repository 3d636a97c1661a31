package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountServiceTest {
    private final IdentityServices identity = new IdentityServices();
    private final AccountService accounts = identity.accountService;

    @Test
    void aNewEmailNeedsTheCurrentPassword() {
        User user = identity.register("alice@example.com").user();

        ServiceException refused = assertThrows(ServiceException.class,
                () -> accounts.updateProfile(user.id(), patch(Map.of("email", "alice@example.org"))));
        assertEquals("current_password", refused.details().getFirst().field());

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> accounts.updateProfile(user.id(),
                patch(Map.of("email", "alice@example.org", "current_password", "not the password")))));
        assertEquals("alice@example.com", identity.accounts.findById(user.id()).orElseThrow().email());
    }

    @Test
    void aNewEmailIsUnverifiedAndGetsAVerificationToken() {
        User user = identity.register("alice@example.com").user();

        User changed = accounts.updateProfile(user.id(),
                patch(Map.of("email", "Alice@Example.org", "current_password", IdentityServices.PASSWORD)));

        assertEquals("alice@example.org", changed.email());
        assertFalse(changed.emailVerified());
        assertEquals(user.id(), identity.accounts.findByEmail("alice@example.org").orElseThrow().id());
        assertTrue(identity.accounts.findByEmail("alice@example.com").isEmpty(), "the old address is released");
        String token = IdentityServices.mailedToken(identity.lastEvent(EventType.USER_EMAIL_VERIFICATION_REQUESTED));
        identity.verification.confirm(new VerificationConfirmation(token));
    }

    /**
     * The owner changes the password while a request holding the old one (a stolen token, say) changes the email:
     * the request's write loses its race, and its retry must not carry the old password's check over to the new hash.
     */
    @Test
    void anEmailChangeRacingAPasswordChangeNeedsTheNewPassword() {
        TokenGrant owner = identity.register("alice@example.com");
        identity.accounts.beforeTheNextAccountWrite(() -> changePassword(owner));

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> accounts.updateProfile(owner.user().id(),
                patch(Map.of("email", "mallory@example.org", "current_password", IdentityServices.PASSWORD)))));
        assertEquals("alice@example.com", identity.accounts.findById(owner.user().id()).orElseThrow().email());
    }

    /** The same race for a deletion: the account as it is after the password change is deleted only with that password. */
    @Test
    void aDeletionRacingAPasswordChangeNeedsTheNewPassword() {
        TokenGrant owner = identity.register("alice@example.com");
        identity.accounts.beforeTheNextAccountWrite(() -> changePassword(owner));

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() ->
                accounts.deleteAccount(owner.user().id(), new AccountDeletion(IdentityServices.PASSWORD))));
        assertTrue(identity.accounts.findById(owner.user().id()).isPresent());
    }

    @Test
    void theLastActiveAdminCannotDeleteTheirAccount() {
        User admin = admin("admin@example.com");
        User disabledAdmin = admin("disabled-admin@example.com");
        disable(disabledAdmin, admin);
        int events = identity.accounts.events().size();

        ServiceException refused = assertThrows(ServiceException.class,
                () -> accounts.deleteAccount(admin.id(), new AccountDeletion(IdentityServices.PASSWORD)));

        assertEquals(ErrorCode.FORBIDDEN, refused.error());
        assertTrue(refused.getMessage().contains("last active admin"), refused.getMessage());
        assertTrue(identity.accounts.findById(admin.id()).isPresent());
        assertEquals(events, identity.accounts.events().size(), "no user.deleted");
    }

    @Test
    void anAdminDeletesTheirAccountWhileAnotherAdminRemains() {
        User leaving = admin("leaving@example.com");
        User staying = admin("staying@example.com");

        accounts.deleteAccount(leaving.id(), new AccountDeletion(IdentityServices.PASSWORD));

        assertTrue(identity.accounts.findById(leaving.id()).isEmpty());
        assertTrue(identity.accounts.findById(staying.id()).isPresent());
    }

    /** The one other admin is demoted between the look and the deletion: the deletion does not hold, and looks again. */
    @Test
    void anAdminWhoseOnlyOtherAdminLostAccessMeanwhileIsTheLastOne() {
        User leaving = admin("leaving@example.com");
        User other = admin("other@example.com");
        identity.accounts.beforeTheNextAccountWrite(() -> disable(other, leaving));

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> accounts.deleteAccount(leaving.id(), new AccountDeletion(IdentityServices.PASSWORD))));
        assertTrue(identity.accounts.findById(leaving.id()).isPresent());
    }

    /** The deletion is stored and its inline erasure fails: the account is gone and the queued eraser finishes, so it answers as done. */
    @Test
    void aDeletionWhoseInlineErasureFailsIsDone() {
        TokenGrant owner = identity.register("alice@example.com");
        identity.accounts.failErasures();

        accounts.deleteAccount(owner.user().id(), new AccountDeletion(IdentityServices.PASSWORD));

        assertTrue(identity.accounts.findById(owner.user().id()).isEmpty());
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(owner.accessToken())));
    }

    private void changePassword(TokenGrant owner) {
        identity.clock.advance(Duration.ofSeconds(1));
        identity.passwords.change(identity.principal(owner), new PasswordChange(IdentityServices.PASSWORD, "a brand new passphrase"));
    }

    @Test
    void anEmailAnotherAccountHasIsTaken() {
        identity.register("bob@example.com");
        User alice = identity.register("alice@example.com").user();

        assertEquals(ErrorCode.EMAIL_TAKEN, refusal(() -> accounts.updateProfile(alice.id(),
                patch(Map.of("email", "bob@example.com", "current_password", IdentityServices.PASSWORD)))));
    }

    @Test
    void aPatchThatChangesNothingStoresAndEmitsNothing() {
        User user = identity.register("alice@example.com").user();
        int events = identity.accounts.events().size();

        User same = accounts.updateProfile(user.id(), patch(Map.of("name", user.name())));

        assertEquals(user, same);
        assertEquals(events, identity.accounts.events().size());
    }

    @Test
    void attributesMergeIntoTheStoredOnesAndANullRemovesAKey() {
        User user = identity.register("alice@example.com").user();
        accounts.updateProfile(user.id(), patch(Map.of("attributes", Map.of("plan", "pro", "seats", 3L))));
        Map<String, Object> removal = new HashMap<>();
        removal.put("seats", null);
        removal.put("beta", true);

        User merged = accounts.updateProfile(user.id(), patch(Map.of("attributes", removal)));

        assertEquals(Map.of("plan", "pro", "beta", true), merged.attributes());
        assertEquals(List.of("attributes"), identity.lastEvent(EventType.USER_UPDATED).data().get("changed"));
    }

    @Test
    void deletionRefusesTheAccessTokensOfSessionsTheEraserDeletedFirst() {
        TokenGrant grant = identity.register("alice@example.com");
        identity.auth.authenticate(grant.accessToken());
        identity.accounts.letTheEraserRunAtOnce();

        accounts.deleteAccount(grant.user().id(), new AccountDeletion(IdentityServices.PASSWORD));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(grant.accessToken())),
                "the session was cached as active; its item is gone, but its end must still reach the cache");
    }

    @Test
    void deletionNeedsThePasswordThenEndsEverySessionAndErasesTheRest() {
        TokenGrant grant = identity.register("alice@example.com");
        User user = grant.user();

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> accounts.deleteAccount(user.id(), new AccountDeletion("wrong password"))));
        accounts.deleteAccount(user.id(), new AccountDeletion(IdentityServices.PASSWORD));

        assertTrue(identity.accounts.findById(user.id()).isEmpty());
        assertEquals(List.of(user.id()), identity.accounts.erased());
        assertEquals(List.of(identity.clock.instant().plusSeconds(3)), identity.accounts.erasureDeadlines(),
                "the request erases for a bounded time, and the queued eraser finishes");
        assertEquals(EventType.USER_DELETED, identity.accounts.events().getLast().type());
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(grant.accessToken())));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> identity.auth.login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(3))));
        identity.register("alice@example.com");
    }

    /** Each new address is mailed a token, so changing the email is limited as asking for a verification mail is. */
    @Test
    void emailChangesAreCountedAgainstTheVerificationMailLimit() {
        User user = identity.register("alice@example.com").user();
        int allowed = identity.limits.emailVerification().limit();
        for (int change = 1; change <= allowed; change++) {
            accounts.updateProfile(user.id(), patch(Map.of("email", "alice-" + change + "@example.com",
                    "current_password", IdentityServices.PASSWORD)));
        }

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> accounts.updateProfile(user.id(),
                patch(Map.of("email", "victim@example.com", "current_password", IdentityServices.PASSWORD)))));
        assertEquals("alice-" + allowed + "@example.com", identity.accounts.findById(user.id()).orElseThrow().email());
        accounts.updateProfile(user.id(), patch(Map.of("name", "Alice Renamed")));
    }

    /** Accounts taking one address in turn, each mailing it and letting it go: the address has one allowance. */
    @Test
    void mailsToOneAddressAreCountedAcrossTheAccountsThatTakeIt() {
        int allowed = identity.limits.emailVerification().limit();
        for (int taker = 0; taker < allowed; taker++) {
            User user = identity.register("taker-" + taker + "@example.com").user();
            accounts.updateProfile(user.id(), patch(Map.of("email", "victim@example.com", "current_password", IdentityServices.PASSWORD)));
            accounts.updateProfile(user.id(), patch(Map.of("email", "taker-" + taker + "@example.com",
                    "current_password", IdentityServices.PASSWORD)));
        }
        User next = identity.register("next@example.com").user();

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> accounts.updateProfile(next.id(),
                patch(Map.of("email", "victim@example.com", "current_password", IdentityServices.PASSWORD)))));
        assertEquals("next@example.com", identity.accounts.findById(next.id()).orElseThrow().email());
    }

    /** Changes refused because another account has the address mail nothing, and leave that address's allowance alone. */
    @Test
    void changesToAnAddressAnotherAccountHoldsDoNotUseUpItsAllowance() {
        TokenGrant owner = identity.register("owner@example.com");
        User stranger = identity.register("stranger@example.com").user();
        for (int attempt = 0; attempt < identity.limits.emailVerification().limit(); attempt++) {
            assertEquals(ErrorCode.EMAIL_TAKEN, refusal(() -> accounts.updateProfile(stranger.id(),
                    patch(Map.of("email", "owner@example.com", "current_password", IdentityServices.PASSWORD)))));
        }

        assertEquals(EmailVerification.Outcome.SENT, identity.verification.request(identity.principal(owner)));
    }

    @Test
    void passwordGuessesThroughTheProfileAndDeletionCountAgainstTheSignInLimit() {
        User user = identity.register("alice@example.com").user();
        int allowed = identity.limits.loginPerEmail().limit();
        for (int guess = 0; guess < allowed / 2; guess++) {
            assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> accounts.updateProfile(user.id(),
                    patch(Map.of("name", "Mallory", "current_password", "a wrong guess")))));
        }
        for (int guess = allowed / 2; guess < allowed; guess++) {
            assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() ->
                    accounts.deleteAccount(user.id(), new AccountDeletion("a wrong guess"))));
        }

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() ->
                accounts.deleteAccount(user.id(), new AccountDeletion(IdentityServices.PASSWORD))));
        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> accounts.updateProfile(user.id(),
                patch(Map.of("name", "Alice", "current_password", IdentityServices.PASSWORD)))));
        assertEquals("alice@example.com", identity.accounts.findById(user.id()).orElseThrow().email());
    }

    @Test
    void anUpdateThatKeepsLosingToOtherWritersIsRefusedAsUnavailable() {
        User user = identity.register("alice@example.com").user();
        int events = identity.accounts.events().size();
        identity.accounts.letOthersAlwaysWriteFirst();

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refusal(() -> accounts.updateProfile(user.id(), patch(Map.of("name", "Alice")))));
        assertEquals(user, identity.accounts.findById(user.id()).orElseThrow());
        assertEquals(events, identity.accounts.events().size());
    }

    @Test
    void aDeletionThatKeepsLosingToOtherWritersIsRefusedAsUnavailableAndErasesNothing() {
        TokenGrant grant = identity.register("alice@example.com");
        identity.accounts.letOthersAlwaysWriteFirst();

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refusal(() -> accounts.deleteAccount(grant.user().id(),
                new AccountDeletion(IdentityServices.PASSWORD))));
        assertTrue(identity.accounts.findById(grant.user().id()).isPresent());
        assertEquals(List.of(), identity.accounts.erased());
        identity.auth.authenticate(grant.accessToken());
    }

    private static ProfilePatch patch(Map<String, Object> body) {
        return ProfilePatch.read(body);
    }

    /** Disables {@code account} as {@code admin} does. */
    private void disable(User account, User admin) {
        Principal acting = new Principal(admin.id(), "a-session", Set.of(Role.ADMIN), true, "jti", Instant.MAX);
        identity.administration.changeAccess(acting, account.id(), new AccessChange(Optional.empty(), Optional.of(User.Status.DISABLED)));
    }

    /** A registered account made an admin, as the operator's promotion does. */
    private User admin(String email) {
        identity.register(email);
        return identity.administration.promote(new AdminPromotion(email)).orElseThrow().user();
    }
}

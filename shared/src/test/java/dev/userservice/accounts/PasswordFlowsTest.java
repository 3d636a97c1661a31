package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.cache.CacheKeys;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.LoginRequest;
import dev.userservice.sessions.RefreshRequest;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordFlowsTest {
    private static final String NEW_PASSWORD = "a brand new passphrase";

    private final IdentityServices identity = new IdentityServices();
    private final PasswordFlows passwords = identity.passwords;

    @Test
    void aChangeEndsEveryOtherSessionAndKeepsTheCallers() {
        TokenGrant caller = identity.register("alice@example.com");
        TokenGrant other = signIn("alice@example.com", IdentityServices.PASSWORD);

        passwords.change(identity.principal(caller), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));

        identity.principal(caller);
        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(other.accessToken())));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> signIn("alice@example.com", IdentityServices.PASSWORD)));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    /**
     * The revocations of the other sessions may take seconds; the cached views must be gone before them, or a read
     * meanwhile finds the devices of the sessions the new password ended.
     */
    @Test
    void aChangeAndAResetForgetTheCachedViewsBeforeEndingTheSessionsOneByOne() {
        TokenGrant caller = identity.register("alice@example.com");
        signIn("alice@example.com", IdentityServices.PASSWORD);
        String userId = identity.principal(caller).subject();
        List<Boolean> cachedWhileRevoking = new java.util.ArrayList<>();
        identity.sessionStore.beforeEachRevocation(() -> cachedWhileRevoking.add(identity.cache.contains(CacheKeys.user(userId))));

        identity.clock.advance(Duration.ofMinutes(1)); // a fill is refused when the read began no later than the last forget
        identity.userViews.view(userId);
        passwords.change(identity.principal(caller), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));
        identity.clock.advance(Duration.ofMinutes(1));
        identity.userViews.view(userId);
        passwords.confirmReset(new PasswordReset(mailedResetToken("alice@example.com"), "yet another passphrase"));

        assertEquals(List.of(false, false), cachedWhileRevoking, "the change's of the other session, the reset's of the caller's");
    }

    /** A sign-in after the cost was raised stored the same password at the new cost while the change was checking it. */
    @Test
    void aChangeWhoseHashASignInUpgradedMeanwhileStillChangesIt() {
        TokenGrant caller = identity.register("alice@example.com");
        identity.accounts.beforeTheNextPasswordIsReplaced(() -> identity.authHashingAt(5).login(
                new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2)));

        passwords.change(identity.principal(caller), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() -> signIn("alice@example.com", IdentityServices.PASSWORD)));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    /**
     * The sign-in that upgraded the hash started its session after the change first read the clock; the change's
     * second write takes its cutoff then, so it ends that session too, though its revocation fails.
     */
    @Test
    void aChangeWrittenAgainAfterAnUpgradeEndsTheSessionThatUpgraded() {
        TokenGrant caller = identity.register("alice@example.com");
        TokenGrant[] upgrading = new TokenGrant[1];
        identity.accounts.beforeTheNextPasswordIsReplaced(() -> {
            identity.clock.advance(Duration.ofMillis(40));
            upgrading[0] = identity.authHashingAt(5).login(
                    new LoginRequest("alice@example.com", IdentityServices.PASSWORD, null), identity.client(2));
            identity.clock.advance(Duration.ofMillis(80));
        });
        identity.sessionStore.failRevocations();

        passwords.change(identity.principal(caller), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(upgrading[0].refreshToken()))));
        identity.auth.refresh(new RefreshRequest(caller.refreshToken()));
    }

    /**
     * The new password is stored, then the revocations of the other sessions one by one fail: the change is done
     * (an error would send the client's retry to the new password, a 401), and the sessions ended with it.
     */
    @Test
    void aChangeWhoseRevocationsFailStillEndsEveryOtherSession() {
        TokenGrant caller = identity.register("alice@example.com");
        TokenGrant other = signIn("alice@example.com", IdentityServices.PASSWORD);
        identity.auth.authenticate(other.accessToken()); // its active marker is cached
        identity.clock.advance(Duration.ofSeconds(1));
        identity.sessionStore.failRevocations();

        passwords.change(identity.principal(caller), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(other.accessToken())),
                "refused at once: the cache learnt of it though its revocation failed");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(other.refreshToken()))));
        identity.principal(caller);
        identity.auth.refresh(new RefreshRequest(caller.refreshToken()));
    }

    /** The same for a reset: its token is used up with the new password, so it must not answer an error the client retries. */
    @Test
    void aResetWhoseRevocationsFailStillEndsEverySession() {
        TokenGrant owner = identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");
        identity.clock.advance(Duration.ofSeconds(1));
        identity.sessionStore.failRevocations();

        passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(owner.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(owner.refreshToken()))));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    /**
     * A sign-in with the old password lands while a reset checks its token and hashes the new password, and commits
     * before the reset's write. The reset's cutoff, taken at its write, ends that session too: its revocation after the
     * write may fail, as here, and the session must not outlive the reset.
     */
    @Test
    void aSignInThatLandsWhileAResetIsUnderWayIsEndedByIt() {
        identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");
        identity.clock.advance(Duration.ofSeconds(1));
        TokenGrant[] landed = new TokenGrant[1];
        identity.accounts.afterTheNextPasswordResetIsRead(() -> {
            identity.clock.advance(Duration.ofMillis(40));
            landed[0] = signIn("alice@example.com", IdentityServices.PASSWORD);
            identity.clock.advance(Duration.ofMillis(80));
        });
        identity.sessionStore.failRevocations();

        passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(landed[0].refreshToken()))));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    /** A reset mailed (or an invitation sent) before an admin disabled the account no longer sets its password. */
    @Test
    void aResetOfAnAccountDisabledSinceItWasMailedIsRefused() {
        TokenGrant owner = identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");
        identity.disable(owner.user().id());

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD))));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(token, "short"))),
                "the token is judged before the new password");

        assertTrue(identity.hasher.verify(IdentityServices.PASSWORD,
                identity.accounts.findById(owner.user().id()).orElseThrow().passwordHash()), "the password is as it was");
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() {
        TokenGrant caller = identity.register("alice@example.com");

        assertEquals(ErrorCode.INVALID_CREDENTIALS, refusal(() ->
                passwords.change(identity.principal(caller), new PasswordChange("not the password", NEW_PASSWORD))));

        signIn("alice@example.com", IdentityServices.PASSWORD);
    }

    @Test
    void aNewPasswordThePolicyRefusesIsAValidationFailureOnNewPassword() {
        Principal caller = identity.principal(identity.register("alice@example.com"));

        ServiceException refused = assertThrows(ServiceException.class,
                () -> passwords.change(caller, new PasswordChange(IdentityServices.PASSWORD, "alice-example-long-password")));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals("new_password", refused.details().getFirst().field());
    }

    @Test
    void aResetTokenWorksOnceAndEndsEverySessionOfTheAccount() {
        TokenGrant session = identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");

        passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD));

        assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> identity.auth.authenticate(session.accessToken())));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> identity.auth.refresh(new RefreshRequest(session.refreshToken()))));
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(token, "yet another passphrase"))),
                "a reset token is single-use");
        signIn("alice@example.com", NEW_PASSWORD);
    }

    @Test
    void aResetVerifiesTheEmailItsTokenWasMailedTo() {
        TokenGrant session = identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");

        passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD));

        assertTrue(identity.accounts.findById(session.user().id()).orElseThrow().emailVerified());
    }

    @Test
    void aResetMailSentBeforeTheOwnerChangedThePasswordNoLongerWorks() {
        TokenGrant owner = identity.register("alice@example.com");
        String seenByAnIntruder = mailedResetToken("alice@example.com");
        identity.clock.advance(Duration.ofSeconds(1));

        passwords.change(identity.principal(owner), new PasswordChange(IdentityServices.PASSWORD, NEW_PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(seenByAnIntruder, "the intruder's passphrase"))));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    @Test
    void anEarlierResetTokenStopsWorkingOnceALaterOneResetThePassword() {
        identity.register("alice@example.com");
        String earlier = mailedResetToken("alice@example.com");
        identity.clock.advance(Duration.ofSeconds(1));
        String later = mailedResetToken("alice@example.com");
        identity.clock.advance(Duration.ofSeconds(1));

        passwords.confirmReset(new PasswordReset(later, NEW_PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(earlier, "the intruder's passphrase"))));
        signIn("alice@example.com", NEW_PASSWORD);
    }

    @Test
    void aResetTokenStopsWorkingAfterAnHour() {
        identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");

        identity.clock.advance(PasswordFlows.RESET_TOKEN_LIFETIME.plus(Duration.ofSeconds(1)));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD))));
    }

    @Test
    void aResetForAnUnknownEmailAnswersAlikeAndStoresNothing() {
        passwords.requestReset(new PasswordResetRequest("nobody@example.com"), identity.client(3));

        assertEquals(List.of(), identity.accounts.events());
    }

    /** Each request may mail someone, so one client naming address after address is stopped, and mails nothing more. */
    @Test
    void resetRequestsAreLimitedPerClientIpAcrossEmails() {
        for (int i = 0; i < identity.limits.passwordResetPerIp().limit(); i++) {
            identity.register("user" + i + "@example.com");
            passwords.requestReset(new PasswordResetRequest("user" + i + "@example.com"), identity.client(3));
        }
        identity.register("one.more@example.com");
        long mailed = resetMails();

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> passwords.requestReset(new PasswordResetRequest("one.more@example.com"), identity.client(3))));
        assertEquals(mailed, resetMails());
        passwords.requestReset(new PasswordResetRequest("one.more@example.com"), identity.client(4));
        assertEquals(mailed + 1, resetMails(),
                "another client's allowance is its own");
    }

    @Test
    void resetRequestsFromOneIpv6SubscribersAddressesShareTheirLimit() {
        for (int i = 0; i < identity.limits.passwordResetPerIp().limit(); i++) {
            passwords.requestReset(new PasswordResetRequest("v6user" + i + "@example.com"), new Client("2001:db8:5:5::" + (i + 1), "tests/1.0"));
        }

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> passwords.requestReset(new PasswordResetRequest("v6-one-more@example.com"),
                new Client("2001:db8:5:5:1::1", "tests/1.0"))));
    }

    /** One person's mailbox gets no more resets named under new tags than named once. */
    @Test
    void resetRequestsAreLimitedPerMailboxAcrossItsTags() {
        for (int tag = 0; tag < identity.limits.passwordReset().limit(); tag++) {
            identity.register("alice+" + tag + "@example.com");
            passwords.requestReset(new PasswordResetRequest("alice+" + tag + "@example.com"), identity.client(tag));
        }
        identity.register("alice+another@example.com");
        long mailed = resetMails();

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> passwords.requestReset(new PasswordResetRequest("alice+another@example.com"), identity.client(9))));
        assertEquals(mailed, resetMails());
    }

    @Test
    void aResetTokenSentToAnAddressTheAccountNoLongerHasIsRefused() {
        TokenGrant grant = identity.register("alice@example.com");
        String token = mailedResetToken("alice@example.com");
        identity.accountService.updateProfile(grant.user().id(), new ProfilePatch("alice@example.org", null, false, null,
                null, null, null, IdentityServices.PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> passwords.confirmReset(new PasswordReset(token, NEW_PASSWORD))));
    }

    /** A container whose clock is behind the account's last write issues its token at that write, not before it. */
    @Test
    void aTokenIsIssuedNoEarlierThanTheAccountsLastWrite() {
        Instant now = identity.clock.instant();

        assertEquals(now.plusMillis(5), OptimisticWrites.notBefore(identity.clock, Optional.of(now.plusMillis(5))));
        assertEquals(now, OptimisticWrites.notBefore(identity.clock, Optional.of(now.minusMillis(5))));
        assertEquals(now, OptimisticWrites.notBefore(identity.clock, Optional.empty()));
    }

    private TokenGrant signIn(String email, String password) {
        return identity.auth.login(new LoginRequest(email, password, null), identity.client(2));
    }

    private long resetMails() {
        return identity.accounts.events().stream().filter(event -> event.type() == EventType.USER_PASSWORD_RESET_REQUESTED).count();
    }

    /** Asks for a reset of this email's password and answers the token the mail carries. */
    private String mailedResetToken(String email) {
        passwords.requestReset(new PasswordResetRequest(email), identity.client(3));
        return IdentityServices.mailedToken(identity.lastEvent(EventType.USER_PASSWORD_RESET_REQUESTED));
    }
}

package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.events.EventType;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmailVerificationTest {
    private final IdentityServices identity = new IdentityServices();
    private final EmailVerification verification = identity.verification;

    @Test
    void aMailedTokenVerifiesTheEmailOnce() {
        TokenGrant grant = identity.register("alice@example.com");
        assertEquals(EmailVerification.Outcome.SENT, verification.request(identity.principal(grant)));
        String token = IdentityServices.mailedToken(identity.lastEvent(EventType.USER_EMAIL_VERIFICATION_REQUESTED));

        verification.confirm(new VerificationConfirmation(token));

        assertTrue(identity.accounts.findById(grant.user().id()).orElseThrow().emailVerified());
        assertEquals(true, identity.userViews.view(grant.user().id()).get("email_verified"), "the cached view was forgotten");
        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> verification.confirm(new VerificationConfirmation(token))));
    }

    @Test
    void requestsBeyondTheHourlyAllowanceAreRefusedAndMailNothing() {
        Principal caller = identity.principal(identity.register("alice@example.com"));
        int allowed = identity.limits.emailVerification().limit();
        for (int request = 0; request < allowed; request++) {
            assertEquals(EmailVerification.Outcome.SENT, verification.request(caller));
        }
        int mailed = identity.accounts.events().size();

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> verification.request(caller)));

        assertEquals(mailed, identity.accounts.events().size());
    }

    /** An address's allowance is shared by every account that holds it in turn. */
    @Test
    void requestsForOneAddressAreCountedAcrossAccounts() {
        int allowed = identity.limits.emailVerification().limit();
        for (int request = 0; request < allowed; request++) {
            Principal holder = identity.principal(identity.register("alice@example.com"));
            assertEquals(EmailVerification.Outcome.SENT, verification.request(holder));
            identity.accountService.deleteAccount(holder.subject(), new AccountDeletion(IdentityServices.PASSWORD));
        }
        Principal last = identity.principal(identity.register("alice@example.com"));

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> verification.request(last)));
    }

    /** Accounts taking one person's address under a tag each share that mailbox's allowance. */
    @Test
    void requestsForOneMailboxAreCountedAcrossItsTags() {
        int allowed = identity.limits.emailVerification().limit();
        for (int tag = 0; tag < allowed; tag++) {
            Principal holder = identity.principal(identity.register("alice+" + tag + "@example.com"));
            assertEquals(EmailVerification.Outcome.SENT, verification.request(holder));
        }
        Principal another = identity.principal(identity.register("alice+another@example.com"));
        int mailed = identity.accounts.events().size();

        assertEquals(ErrorCode.RATE_LIMITED, refusal(() -> verification.request(another)));
        assertEquals(mailed, identity.accounts.events().size());
    }

    @Test
    void aVerifiedEmailGetsNoTokenAndNoEvent() {
        TokenGrant grant = identity.register("alice@example.com");
        Principal caller = identity.principal(grant);
        verification.request(caller);
        verification.confirm(new VerificationConfirmation(
                IdentityServices.mailedToken(identity.lastEvent(EventType.USER_EMAIL_VERIFICATION_REQUESTED))));
        int events = identity.accounts.events().size();

        assertEquals(EmailVerification.Outcome.ALREADY_VERIFIED, verification.request(caller));
        assertEquals(events, identity.accounts.events().size());
    }

    @Test
    void aTokenStopsWorkingAfterADay() {
        TokenGrant grant = identity.register("alice@example.com");
        verification.request(identity.principal(grant));
        String token = IdentityServices.mailedToken(identity.lastEvent(EventType.USER_EMAIL_VERIFICATION_REQUESTED));

        identity.clock.advance(EmailVerification.TOKEN_LIFETIME.plus(Duration.ofSeconds(1)));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> verification.confirm(new VerificationConfirmation(token))));
    }

    @Test
    void aTokenSentToTheOldAddressDoesNotVerifyTheNewOne() {
        TokenGrant grant = identity.register("alice@example.com");
        verification.request(identity.principal(grant));
        String oldToken = IdentityServices.mailedToken(identity.lastEvent(EventType.USER_EMAIL_VERIFICATION_REQUESTED));
        identity.accountService.updateProfile(grant.user().id(), new ProfilePatch("alice@example.org", null, false, null,
                null, null, null, IdentityServices.PASSWORD));

        assertEquals(ErrorCode.INVALID_TOKEN, refusal(() -> verification.confirm(new VerificationConfirmation(oldToken))));
    }

    @Test
    void aRequestThatKeepsLosingToEmailChangesIsRefusedAsUnavailable() {
        TokenGrant grant = identity.register("alice@example.com");
        int events = identity.accounts.events().size();
        identity.accounts.letOthersAlwaysWriteFirst();

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refusal(() -> verification.request(identity.principal(grant))));
        assertEquals(events, identity.accounts.events().size());
    }
}

package dev.userservice.accounts;

import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Principal;
import dev.userservice.auth.SecureTokens;
import dev.userservice.concurrency.FollowUp;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.events.TokenMail;
import dev.userservice.events.UserEvent;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.SessionEnd;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Changing a password while signed in, and resetting a forgotten one with a token sent by email. Either way the
 * new password passes the policy, is stored only as a bcrypt hash, and the sessions that knew the old one end.
 */
public final class PasswordFlows {
    public static final Duration RESET_TOKEN_LIFETIME = Duration.ofHours(1);

    private final UserStore users;
    private final CredentialStore credentials;
    private final SessionGuard guard;
    private final UserService userViews;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Clock clock;

    public PasswordFlows(UserStore users, CredentialStore credentials, SessionGuard guard, UserService userViews,
                         PasswordHasher hasher, PasswordPolicy policy, RateLimiter limiter, RateLimits limits, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.guard = guard;
        this.userViews = userViews;
        this.hasher = hasher;
        this.policy = policy;
        this.limiter = limiter;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * {@code {current_password, new_password}}: replaces the caller's password and ends every other session, so a
     * device that learnt the old password is signed out while the caller stays signed in. The sessions end in the
     * write that stores the password ({@link dev.userservice.sessions.SessionCutoff}); revoking them one by one after
     * it records why and tells the cache, and a function that dies in between, or revocations that fail, leave none
     * of them alive.
     */
    public void change(Principal caller, PasswordChange change) {
        User user = users.findById(caller.subject()).orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
        checkPolicy(change.newPassword(), user.email());
        // A stolen access token must not become a way around the login limit for guessing the password.
        limiter.enforce(limits.loginPerEmail(), user.email());
        String checkedHash = user.passwordHash();
        if (!hasher.verify(change.currentPassword(), checkedHash)) {
            throw new ServiceException(ErrorCode.INVALID_CREDENTIALS, "The current password is incorrect");
        }
        String newHash = hasher.hash(change.newPassword());
        Instant now = clock.instant();
        if (!credentials.replacePasswordHash(user.id(), checkedHash, newHash, now, caller.sessionId())) {
            // Replaced by another request since we checked: a change or reset, after which the password given is no
            // longer the current one, or a sign-in's upgrade of its hash (AuthService), after which it still is.
            String storedNow = users.findById(user.id()).map(User::passwordHash).orElse(checkedHash);
            // The cutoff is read again at this write: the sign-in that upgraded the hash began after the first reading.
            if (storedNow.equals(checkedHash) || !hasher.verify(change.currentPassword(), storedNow)
                    || !credentials.replacePasswordHash(user.id(), storedNow, newHash, clock.instant(), caller.sessionId())) {
                throw new ServiceException(ErrorCode.INVALID_CREDENTIALS, "The current password is incorrect");
            }
        }
        forgetViewsThenEndSessions(user.id(), "ending the other sessions", Optional.of(caller.sessionId()), SessionEnd.PASSWORD_CHANGED);
    }

    /**
     * {@code {email}}: when the email belongs to an active account, stores a reset token valid for an hour and emits
     * {@code user.password_reset_requested} carrying it, in one transaction. Whether the email is known must not
     * show, in the answer or in its timing: an unknown email (or a disabled account) goes through the same reads and
     * the same transaction, for a random user id, so the transaction's condition cancels it and nothing is stored.
     */
    public void requestReset(PasswordResetRequest request, Client client) {
        String email = request.email();
        // Each request may mail someone: one client naming many addresses would have the service mail them all.
        limiter.enforcePerIp(limits.passwordResetPerIp(), client.ip());
        // Counted per mailbox whether or not the address is registered, so the limit itself reveals nothing.
        limiter.enforce(limits.passwordReset(), Text.mailbox(email));

        Optional<String> claimedBy = credentials.emailOwner(email);
        Optional<User> account = users.findById(claimedBy.orElseGet(() -> UUID.randomUUID().toString()))
                .filter(User::isActive);
        String recipientId = account.map(User::id).orElseGet(() -> UUID.randomUUID().toString());

        String token = SecureTokens.newToken();
        Instant issuedAt = OptimisticWrites.notBefore(clock, account.map(User::updatedAt));
        Instant expiresAt = issuedAt.plus(RESET_TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
        // For an unknown email the event is built all the same, with stand-ins for the name and locale, and never stored.
        TokenMail mail = new TokenMail(email, token, expiresAt, account.map(User::name).orElse("-"),
                account.map(User::locale).orElse(User.DEFAULT_LOCALE));
        UserEvent requested = UserEvent.of(EventType.USER_PASSWORD_RESET_REQUESTED, recipientId, mail.toEventData(), clock);
        credentials.issuePasswordReset(email, recipientId, SecureTokens.hash(token), issuedAt, expiresAt, requested);
    }

    /**
     * {@code {token, new_password}}: uses the reset token up and stores the new password in one transaction (of two
     * concurrent uses exactly one wins), then ends every session of the account, so refresh and access tokens
     * issued before the reset stop working. The same transaction marks the email verified: the token was mailed to
     * the account's current address and only works while it still is, so whoever uses it reads that mailbox, which is
     * all a verification token proves. That is how an invited account (whose token is a reset token) starts verified.
     */
    public void confirmReset(PasswordReset reset) {
        Instant now = clock.instant();
        String tokenHash = SecureTokens.hash(reset.token());
        OneTimeToken stored = credentials.findPasswordReset(tokenHash, now)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        // The token is judged before the new password, as far as the account read shows: disabled, or no longer at
        // the address mailed, it is dead whatever the password (the write checks the rest).
        User user = users.findById(stored.userId())
                .filter(found -> found.isActive() && found.email().equals(stored.email()))
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        checkPolicy(reset.newPassword(), user.email());
        String newHash = hasher.hash(reset.newPassword());
        // The cutoff is the write's instant, not the request's: a sign-in with the old password that committed while
        // the token was checked and the password hashed began after the request did, and is ended only by a cutoff
        // after it (its revocation, which follows, may fail).
        if (!credentials.resetPassword(tokenHash, stored, newHash, clock.instant())) {
            throw new ServiceException(ErrorCode.INVALID_TOKEN);
        }
        forgetViewsThenEndSessions(user.id(), "ending the sessions", Optional.empty(), SessionEnd.PASSWORD_RESET);
    }

    /**
     * After a new password is stored with its session cutoff: the user's cached views go at once, since the notification
     * profile read from the table already leaves out the devices of the sessions the cutoff ended, and the revocations
     * one by one, which may take seconds, follow (forgetting the views again once they have deactivated those devices).
     */
    private void forgetViewsThenEndSessions(String userId, String followUp, Optional<String> keep, SessionEnd reason) {
        userViews.forget(userId);
        FollowUp.run(followUp, () -> guard.revokeAll(userId, keep, reason));
    }

    private void checkPolicy(String password, String email) {
        policy.problem(password, email).ifPresent(problem -> {
            throw ServiceException.validation(PasswordChange.NEW_PASSWORD, problem);
        });
    }
}

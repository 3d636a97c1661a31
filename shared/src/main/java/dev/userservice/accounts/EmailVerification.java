package dev.userservice.accounts;

import dev.userservice.auth.Principal;
import dev.userservice.auth.SecureTokens;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.concurrency.OptimisticWrites;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.UserEvent;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Proving that a user reads their email: a single-use token, valid for a day and bound to the address it was sent
 * to, mailed by the email service from the {@code user.email_verification_requested} event.
 */
public final class EmailVerification {
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(24);

    /** What a request did: mailed a token, or nothing because the email is already verified. */
    public enum Outcome { SENT, ALREADY_VERIFIED }

    private final UserStore users;
    private final CredentialStore credentials;
    private final UserService userViews;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Clock clock;

    public EmailVerification(UserStore users, CredentialStore credentials, UserService userViews, RateLimiter limiter,
                             RateLimits limits, Clock clock) {
        this.users = users;
        this.credentials = credentials;
        this.userViews = userViews;
        this.limiter = limiter;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Stores a token for the caller's current email and its event in one transaction. An already verified email
     * gets no token and no event. A request races only with a concurrent email change: the token is stored only
     * for the address read, and otherwise tried again on a fresh read; 503 when that keeps happening. Requests are
     * counted per user and per address (see {@link #countMailTo}), so nobody can make the service mail an address
     * over and over.
     */
    public Outcome request(Principal caller) {
        limiter.enforce(limits.emailVerification(), caller.subject());
        Set<String> counted = new HashSet<>();
        return OptimisticRetry.run(() -> {
            User user = users.findById(caller.subject()).orElseThrow(() -> new ServiceException(ErrorCode.NOT_FOUND, "User not found"));
            if (user.emailVerified()) {
                return Optional.of(Outcome.ALREADY_VERIFIED);
            }
            if (counted.add(user.email())) {
                countMailTo(limiter, limits, user.email());
            }
            String token = SecureTokens.newToken();
            Instant issuedAt = OptimisticWrites.notBefore(clock, Optional.of(user.updatedAt()));
            Instant expiresAt = issuedAt.plus(TOKEN_LIFETIME).truncatedTo(ChronoUnit.SECONDS);
            UserEvent requested = UserEvents.emailVerificationRequested(user, token, expiresAt, clock);
            return credentials.issueEmailVerification(user.id(), user.email(), SecureTokens.hash(token), issuedAt, expiresAt,
                    requested)
                    ? Optional.of(Outcome.SENT)
                    : Optional.empty();
        }, AccountUpdates.BUSY);
    }

    /**
     * Counts a verification mail to {@code address} against the same allowance as an account's requests: an account
     * can take an address, mail it and let it go within a minute, so several accounts taking one address in turn would
     * each have the whole allowance for it. Tags count as their mailbox ({@link Text#mailbox}): accounts taking one
     * person's address under a new tag each would otherwise mail them three times an hour per tag.
     */
    static void countMailTo(RateLimiter limiter, RateLimits limits, String address) {
        limiter.enforce(limits.emailVerification(), "address:" + Text.mailbox(address));
    }

    /**
     * {@code {token}}: uses the token up and marks the email verified, in one transaction that also requires the
     * account to still have the address the token was sent to. A used, expired or unknown token, or one for an
     * address the account no longer has, is 401 {@code invalid_token}.
     */
    public void confirm(VerificationConfirmation confirmation) {
        Instant now = clock.instant();
        String tokenHash = SecureTokens.hash(confirmation.token());
        OneTimeToken stored = credentials.findEmailVerification(tokenHash, now)
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        if (!credentials.verifyEmail(tokenHash, stored, now)) {
            throw new ServiceException(ErrorCode.INVALID_TOKEN);
        }
        userViews.forget(stored.userId());
    }
}

package dev.userservice.accounts;

import dev.userservice.events.UserEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * The writes behind passwords and email verification. Each one that needs several items changed together is one
 * transaction, and answers {@code false}, with nothing written, when a condition no longer holds (a token already
 * used or expired, an email claim that is not the user's, an email changed in the meantime).
 */
public interface CredentialStore {

    /** The id of the account that claims {@code email} (lower-cased, as stored), or empty. */
    Optional<String> emailOwner(String email);

    /** An unexpired, unused password-reset token by its hash. */
    Optional<OneTimeToken> findPasswordReset(String tokenHash, Instant now);

    /** An unexpired, unused email-verification token by its hash. */
    Optional<OneTimeToken> findEmailVerification(String tokenHash, Instant now);

    /**
     * Replaces the password hash, provided it is still {@code expectedHash} (no concurrent change won), and in the same
     * write ends every session begun before {@code at} but {@code keptSessionId} ({@link dev.userservice.sessions.SessionCutoff}).
     */
    boolean replacePasswordHash(String userId, String expectedHash, String newHash, Instant at, String keptSessionId);

    /**
     * Stores a reset token for {@code userId} and its {@code requested} event, provided {@code email} is still
     * claimed by {@code userId} and the account is still active. For an email nobody claims this does the same work
     * and stores nothing.
     */
    boolean issuePasswordReset(String email, String userId, String tokenHash, Instant issuedAt, Instant expiresAt,
                               UserEvent requested);

    /**
     * Uses the reset token up, stores the new password hash, ends every session begun before {@code at} and marks the
     * email verified (the token reached that mailbox, as a verification token would: see {@link #verifyEmail}),
     * provided the account still has the token's email.
     */
    boolean resetPassword(String tokenHash, OneTimeToken token, String newHash, Instant at);

    /**
     * Stores a verification token for the user's {@code email} and its {@code requested} event, provided the account
     * still has that email and it is not verified yet.
     */
    boolean issueEmailVerification(String userId, String email, String tokenHash, Instant issuedAt, Instant expiresAt,
                                   UserEvent requested);

    /** Uses the verification token up and marks the email verified, provided the account still has the token's email. */
    boolean verifyEmail(String tokenHash, OneTimeToken token, Instant at);
}

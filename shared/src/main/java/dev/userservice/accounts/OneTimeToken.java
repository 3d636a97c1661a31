package dev.userservice.accounts;

import java.time.Instant;

/**
 * A single-use token mailed to a user (a password reset or an email verification), as stored: whose it is, the
 * address it was sent to, when it was issued (a password changed since makes a reset token worthless) and until
 * when it works. Only its hash is kept, which is how it is looked up.
 */
public record OneTimeToken(String userId, String email, Instant issuedAt, Instant expiresAt) {}

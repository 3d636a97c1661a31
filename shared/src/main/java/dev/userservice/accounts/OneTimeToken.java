package dev.userservice.accounts;

import java.time.Instant;

/**
 * A single-use token mailed to a user (a password reset or an email verification), as stored: whose it is, the
 * address it was sent to, and until when it works. Only its hash is kept, which is how it is looked up.
 */
public record OneTimeToken(String userId, String email, Instant expiresAt) {}

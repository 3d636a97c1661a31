package dev.userservice.sessions;

import java.util.Optional;

/**
 * The password hash a sign-in checked, and, when that hash was made at a lower cost than today's, the same password
 * hashed at today's cost ({@code upgrade}), which the sign-in stores in its place. Raising the cost thus reaches every
 * account that signs in, with no reset.
 */
public record CheckedPassword(String hash, Optional<String> upgrade) {}

package dev.userservice.sessions;

import dev.userservice.auth.Role;
import java.util.Optional;


/**
 * The password hash a sign-in checked, and, when that hash was made at a lower cost than today's, the same password
 * hashed at today's cost ({@code upgrade}), which the sign-in stores in its place. Raising the cost thus reaches every
 * account that signs in, with no reset. {@code role} is the role read with the hash, which the sign-in's access token
 * claims: the session is stored only while both are as read and the account is active, so a sign-in racing the account's
 * loss of the admin role cannot start a session whose token still claims it, nor one racing its disabling a session
 * that its enabling again would bring back.
 */
public record CheckedPassword(String hash, Optional<String> upgrade, Role role) {
    /** Every component but hash and upgrade, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "CheckedPassword[hash=<redacted>, upgrade=<redacted>, role=" + role + "]";
    }
}

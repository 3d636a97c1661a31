package dev.userservice.auth;

import java.time.Instant;
import java.util.Set;

/** The authenticated caller: a user (with the session its token belongs to) or a service client. */
public record Principal(String subject, String sessionId, Set<Role> roles, boolean emailVerified, String tokenId, Instant expiresAt) {

    public boolean isService() {
        return roles.contains(Role.SERVICE);
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    /** A person signed in (a user or an admin), as opposed to a service client. */
    public boolean isUser() {
        return roles.contains(Role.USER) || roles.contains(Role.ADMIN);
    }

    /** The user {@code userId} themself, signed in: not an admin or a service acting for them. */
    public boolean isSignedInAs(String userId) {
        return isUser() && subject.equals(userId);
    }
}

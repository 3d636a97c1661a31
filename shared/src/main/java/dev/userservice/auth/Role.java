package dev.userservice.auth;

import java.util.Locale;
import java.util.Optional;

/** The roles a token can carry. */
public enum Role {
    USER, ADMIN, SERVICE;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.claim().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

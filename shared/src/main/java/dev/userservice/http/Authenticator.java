package dev.userservice.http;

import dev.userservice.auth.Principal;

/** Turns a bearer token into the caller, or refuses it with 401 {@code unauthorized}. */
@FunctionalInterface
public interface Authenticator {
    Principal authenticate(String bearerToken);
}

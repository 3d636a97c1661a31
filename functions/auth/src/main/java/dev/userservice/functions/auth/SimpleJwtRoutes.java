package dev.userservice.functions.auth;

import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Set;

/**
 * The earlier Django services' token routes, whose Simple JWT views answered the tokens at the top level
 * ({@code {"access": ..., "refresh": ...}}): there the token answer's members are also at the top level, beside the
 * envelope's, and its clients reading {@code access} find it where they did.
 */
final class SimpleJwtRoutes {
    private static final Set<String> ROUTES = Set.of(
            "POST /api/v1/users/register", "POST /api/v1/users/login", "POST /api/v1/users/token/refresh");

    private SimpleJwtRoutes() {}

    static Reply answer(HttpRequest request, Reply tokens) {
        return ROUTES.contains(request.routeKey()) ? tokens.withDataAtTopLevel() : tokens;
    }
}

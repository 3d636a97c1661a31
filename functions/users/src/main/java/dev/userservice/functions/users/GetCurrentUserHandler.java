package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.UserService;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me}: the signed-in user.
 * <pre>
 * curl localhost:3000/api/v1/users/me -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetCurrentUserHandler extends HttpFunction {
    private final UserService users;

    public GetCurrentUserHandler() {
        this(System.getenv());
    }

    public GetCurrentUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetCurrentUserHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.users = services.userService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Current user", users.view(request.principal().subject()));
    }
}

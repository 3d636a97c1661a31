package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.UserService;
import java.util.Map;

/**
 * {@code GET /api/v1/users/{id}}: one account, for that user, an admin or a service (the kernel checks which).
 * <pre>
 * curl localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetUserHandler extends HttpFunction {
    private final UserService users;

    public GetUserHandler() {
        this(System.getenv());
    }

    public GetUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetUserHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.users = services.userService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("User", users.view(request.pathParameter("id")));
    }
}

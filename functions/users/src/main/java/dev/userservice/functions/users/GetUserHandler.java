package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountView;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.UserService;
import java.util.Map;

/**
 * {@code GET /api/v1/users/{id}}: one account, for that user, an admin or a service (the kernel checks which). The
 * earlier service's {@code /students/{id}} and {@code /staff/{id}} answer only for an account of that type.
 * <pre>
 * curl localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetUserHandler extends HttpFunction {
    private final UserService users;
    private final AccountTypes types;

    public GetUserHandler() {
        this(System.getenv());
    }

    public GetUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetUserHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.users = services.userService();
        this.types = services.accountTypes();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Map<String, Object> user = users.view(request.pathParameter("id"));
        return Reply.ok("User", AccountView.ofRoute(request.routeKey(), types).map(view -> view.admit(user)).orElse(user));
    }
}

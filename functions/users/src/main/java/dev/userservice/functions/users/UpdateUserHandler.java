package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccessChange;
import dev.userservice.accounts.AccountView;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.AccountTypes;
import java.util.Map;

/**
 * {@code PATCH /api/v1/users/{id}}: an admin changes another account's type, role, status or attributes.
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ADMIN_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"status":"disabled"}'
 * </pre>
 * Disabling ends the account's sessions at once; see {@link UserAdministration#changeAccess}.
 */
public final class UpdateUserHandler extends HttpFunction {
    private final UserAdministration administration;
    private final AccountTypes types;

    public UpdateUserHandler() {
        this(System.getenv());
    }

    public UpdateUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateUserHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
        this.administration = services.userAdministration();
        this.types = services.accountTypes();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("User updated", administration.changeAccess(request.principal(), request.pathParameter("id"),
                AccessChange.read(request.jsonObject(), types), AccountView.ofRoute(request.routeKey(), types)));
    }
}

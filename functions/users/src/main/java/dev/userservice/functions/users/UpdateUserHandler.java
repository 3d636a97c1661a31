package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccessChange;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code PATCH /api/v1/users/{id}}: an admin changes another account's role or status.
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/$USER_ID -H "Authorization: Bearer $ADMIN_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"status":"disabled"}'
 * </pre>
 * Disabling ends the account's sessions at once; see {@link UserAdministration#changeAccess}.
 */
public final class UpdateUserHandler extends HttpFunction {
    private final UserAdministration administration;

    public UpdateUserHandler() {
        this(System.getenv());
    }

    public UpdateUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateUserHandler(Services services) {
        super(Access.ADMIN, services.httpRuntime());
        this.administration = services.userAdministration();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("User updated", administration.changeAccess(request.principal(), request.pathParameter("id"),
                AccessChange.read(request.jsonObject())));
    }
}

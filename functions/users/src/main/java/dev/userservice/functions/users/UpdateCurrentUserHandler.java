package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountService;
import dev.userservice.accounts.ProfilePatch;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code PATCH /api/v1/users/me}: the signed-in user changes their profile; answers the account as stored.
 * {@code PUT} on the same path replaces every field a user sets (see {@link ProfilePatch#readReplacement}).
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/me -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"name":"Alice B.","attributes":{"plan":"pro","beta":null}}'
 * </pre>
 * Changing {@code email} also needs {@code current_password}; see {@link AccountService#updateProfile}.
 */
public final class UpdateCurrentUserHandler extends HttpFunction {
    private final AccountService accounts;

    public UpdateCurrentUserHandler() {
        this(System.getenv());
    }

    public UpdateCurrentUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateCurrentUserHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.accounts = services.accountService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        ProfilePatch change = "PUT".equals(request.method())
                ? ProfilePatch.readReplacement(request.jsonObject()) : ProfilePatch.read(request.jsonObject());
        return Reply.ok("User updated", accounts.updateProfile(request.principal().subject(), change));
    }
}

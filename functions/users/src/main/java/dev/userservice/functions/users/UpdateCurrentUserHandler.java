package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.AccountService;
import dev.userservice.accounts.ProfilePatch;
import dev.userservice.accounts.Profiles;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.users.User;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code PATCH /api/v1/users/me}: the signed-in user changes their profile; answers the account as stored.
 * {@code PUT} on the same path is the earlier FastAPI service's, which also changes only the fields given (see
 * {@link ProfilePatch#readSentBack}); its {@code current_title} and {@code location} go to the extended profile.
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/me -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"name":"Alice B.","attributes":{"plan":"pro","beta":null}}'
 * </pre>
 * Changing {@code email} also needs {@code current_password}; see {@link AccountService#updateProfile}.
 */
public final class UpdateCurrentUserHandler extends HttpFunction {
    private final AccountService accounts;
    /** Built by the first request that sends the earlier service's job fields: the others never need it. */
    private final Supplier<Profiles> profiles;

    public UpdateCurrentUserHandler() {
        this(System.getenv());
    }

    public UpdateCurrentUserHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateCurrentUserHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.accounts = services.accountService();
        this.profiles = services::profiles;
    }

    @Override
    protected Reply handle(HttpRequest request) {
        ProfilePatch change = "PUT".equals(request.method())
                ? ProfilePatch.readSentBack(request.jsonObject()) : ProfilePatch.read(request.jsonObject());
        User updated = accounts.updateProfile(request.principal().subject(), change);
        // After the account, so a change the account refuses (an email taken) leaves the profile as it was; a retry
        // of a request that failed in between stores the rest.
        change.extendedProfile().ifPresent(update -> profiles.get().update(request.principal(), update));
        return Reply.ok("User updated", updated);
    }
}

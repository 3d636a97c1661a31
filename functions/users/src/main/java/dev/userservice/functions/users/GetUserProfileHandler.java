package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.Profiles;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code GET /api/v1/users/{id}/profile}: what the caller may see of a user's extended profile.
 * <pre>
 * curl localhost:3000/api/v1/users/$USER_ID/profile -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 * A caller on the default plan gets 403 for anyone but themself; see {@link Profiles#of}.
 */
public final class GetUserProfileHandler extends HttpFunction {
    private final Profiles profiles;

    public GetUserProfileHandler() {
        this(System.getenv());
    }

    public GetUserProfileHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetUserProfileHandler(Services services) {
        super(Access.ANY, services.httpRuntime());
        this.profiles = services.profiles();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Profile", profiles.of(request.principal(), request.pathParameter("id")));
    }
}

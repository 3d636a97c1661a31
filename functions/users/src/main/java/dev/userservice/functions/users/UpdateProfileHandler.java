package dev.userservice.functions.users;

import dev.userservice.Services;
import dev.userservice.accounts.ProfileUpdate;
import dev.userservice.accounts.Profiles;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import java.util.Map;

/**
 * {@code PUT} (a full replacement) and {@code PATCH} (the fields given) {@code /api/v1/users/me/profile}.
 * <pre>
 * curl -X PATCH localhost:3000/api/v1/users/me/profile -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"bio":"Backend engineer","visibility":{"bio":"premium"}}'
 * </pre>
 */
public final class UpdateProfileHandler extends HttpFunction {
    private final Profiles profiles;

    public UpdateProfileHandler() {
        this(System.getenv());
    }

    public UpdateProfileHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdateProfileHandler(Services services) {
        super(Access.USER, services.httpRuntime());
        this.profiles = services.profiles();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        ProfileUpdate update = ProfileUpdate.read(request.jsonObject(), request.method().equals("PUT"));
        return Reply.ok("Profile updated", profiles.update(request.principal(), update));
    }
}

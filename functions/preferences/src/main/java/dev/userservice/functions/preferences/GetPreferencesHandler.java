package dev.userservice.functions.preferences;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.preferences.PreferencesService;
import java.util.Map;

/**
 * {@code GET /api/v1/users/me/preferences} (the caller's) and {@code GET /api/v1/users/{id}/preferences} (that
 * user, an admin or a service): the notification preferences, from the cache when it has them.
 * <pre>
 * curl localhost:3000/api/v1/users/me/preferences -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 */
public final class GetPreferencesHandler extends HttpFunction {
    private final PreferencesService preferences;

    public GetPreferencesHandler() {
        this(System.getenv());
    }

    public GetPreferencesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetPreferencesHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.preferences = services.preferencesService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        return Reply.ok("Preferences", preferences.view(request.targetUserId()));
    }
}

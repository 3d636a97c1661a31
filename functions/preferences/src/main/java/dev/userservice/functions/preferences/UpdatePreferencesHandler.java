package dev.userservice.functions.preferences;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.preferences.Preferences;
import dev.userservice.preferences.PreferencesService;
import java.util.Map;

/**
 * {@code PUT} and {@code PATCH} of {@code /api/v1/users/me/preferences} (the caller's) and
 * {@code /api/v1/users/{id}/preferences} (that user, an admin or a service): both change only the fields given and
 * answer the preferences as stored.
 * <pre>
 * curl -X PUT localhost:3000/api/v1/users/$USER_ID/preferences -H "Authorization: Bearer $SERVICE_TOKEN" \
 *   -H 'Content-Type: application/json' \
 *   -d '{"email":false,"push":true,"quiet_hours_start":"22:00","quiet_hours_end":"07:00"}'
 * curl -X PATCH localhost:3000/api/v1/users/me/preferences -H "Authorization: Bearer $ACCESS_TOKEN" \
 *   -H 'Content-Type: application/json' -d '{"categories":{"marketing":{"email":false},"digest":null}}'
 * </pre>
 * The rules (quiet hours set and cleared in pairs, categories removed with null) are {@link PreferencesService#update}'s.
 */
public final class UpdatePreferencesHandler extends HttpFunction {
    private final PreferencesService preferences;

    public UpdatePreferencesHandler() {
        this(System.getenv());
    }

    public UpdatePreferencesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    UpdatePreferencesHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.preferences = services.preferencesService();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Preferences.Change change = Preferences.Change.read(request.jsonObject());
        return Reply.ok("Preferences updated", preferences.update(request.targetUserId(), change));
    }
}

package dev.userservice.functions.profiles;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.profiles.ProfileRequest;
import java.util.Map;

/**
 * {@code GET /api/v1/internal/users/{id}/notification-profile}: what a pipeline needs to send one notification to
 * the user now, for services, and for admins answering "why did this user not get it?". {@code ?category=} applies that category's opt-outs, {@code ?priority=} is
 * {@code low}, {@code normal} (the default), {@code high} or {@code critical} (ignores quiet hours and category
 * opt-outs), {@code ?require_verified=true} refuses email to an unverified address. Any other parameter or value is
 * 400 {@code validation_failed}; an unknown user is 404. The rules are {@link dev.userservice.profiles.NotificationProfile}'s.
 * <pre>
 * curl "localhost:3000/api/v1/internal/users/$USER_ID/notification-profile?category=marketing" \
 *   -H "Authorization: Bearer $SERVICE_TOKEN"
 * </pre>
 */
public final class GetNotificationProfileHandler extends HttpFunction {
    private final NotificationProfiles profiles;

    public GetNotificationProfileHandler() {
        this(System.getenv());
    }

    public GetNotificationProfileHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    GetNotificationProfileHandler(Services services) {
        super(Access.OPERATOR, services.httpRuntime());
        this.profiles = services.notificationProfiles();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        ProfileRequest asked = ProfileRequest.fromQuery(request.query());
        return Reply.ok("Notification profile", profiles.profile(request.pathParameter("id"), asked));
    }
}

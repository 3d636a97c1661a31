package dev.userservice.functions.profiles;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.profiles.ProfileBatchRequest;
import java.util.Map;

/**
 * {@code POST /api/v1/internal/notification-profiles/batch}: the notification profiles of up to 100 users in one
 * call, for services only. Body {@code {"user_ids": [...], "category"?, "priority"?, "require_verified"?}} with the
 * meanings of the single profile's parameters; {@code data} is {@code {"profiles": [...], "unknown_user_ids": [...]}},
 * both in the order asked. More than 100 ids, an id that is not a user id, or a repeated one is 400
 * {@code validation_failed}. It changes nothing, so an {@code Idempotency-Key} is not needed and is ignored.
 * <pre>
 * curl localhost:3000/api/v1/internal/notification-profiles/batch -H "Authorization: Bearer $SERVICE_TOKEN" \
 *   -H "Content-Type: application/json" -d '{"user_ids": ["'$USER_ID'"], "category": "marketing"}'
 * </pre>
 */
public final class BatchNotificationProfilesHandler extends HttpFunction {
    private final NotificationProfiles profiles;

    public BatchNotificationProfilesHandler() {
        this(System.getenv());
    }

    public BatchNotificationProfilesHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    BatchNotificationProfilesHandler(Services services) {
        super(Access.SERVICE, services.httpRuntime());
        this.profiles = services.notificationProfiles();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        ProfileBatchRequest asked = ProfileBatchRequest.read(request.jsonObject());
        return Reply.ok("Notification profiles", profiles.profiles(asked.userIds(), asked.request()));
    }
}

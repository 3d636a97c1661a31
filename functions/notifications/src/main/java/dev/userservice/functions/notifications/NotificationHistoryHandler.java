package dev.userservice.functions.notifications;

import dev.userservice.Services;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.notifications.NotificationHistory;
import dev.userservice.paging.Cursors;
import java.util.Map;

/**
 * {@code GET /api/v1/users/{id}/notifications}: the user's delivery statuses, newest first, cursor-paged, for the
 * user, an admin or a service.
 * <pre>
 * curl "localhost:3000/api/v1/users/$USER_ID/notifications?channel=push&amp;limit=10" -H "Authorization: Bearer $ACCESS_TOKEN"
 * curl "localhost:3000/api/v1/users/$USER_ID/notifications?cursor=$NEXT_CURSOR&amp;limit=10" -H "Authorization: Bearer $ACCESS_TOKEN"
 * </pre>
 * {@code meta} is {@code {"limit", "has_next", "next_cursor"}}; see {@link NotificationHistory#list}.
 */
public final class NotificationHistoryHandler extends HttpFunction {
    private final NotificationHistory history;

    public NotificationHistoryHandler() {
        this(System.getenv());
    }

    public NotificationHistoryHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    NotificationHistoryHandler(Services services) {
        super(Access.SELF, services.httpRuntime());
        this.history = services.notificationHistory();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        Cursors.Page page = history.list(request.targetUserId(), NotificationHistory.Query.read(request.query()));
        return new Reply(200, "Notification history", page.items(), page.meta(), Map.of(), null, false);
    }
}

package dev.userservice.functions.notifications;

import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Access;
import dev.userservice.http.HttpFunction;
import dev.userservice.http.HttpRequest;
import dev.userservice.http.Reply;
import dev.userservice.notifications.NotificationStatus;
import dev.userservice.notifications.StatusRecorder;
import dev.userservice.notifications.StatusReport;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /api/v1/{channel}/status}: the notification pipeline reports a delivery status, with a service token.
 * <pre>
 * curl -X POST localhost:3000/api/v1/push/status -H "Authorization: Bearer $SERVICE_TOKEN" \
 *   -H 'Content-Type: application/json' \
 *   -d '{"notification_id":"n-42","user_id":"…","status":"failed","error":"unregistered","device_token":"…"}'
 * </pre>
 * 201 with the record the first time, 200 with the first record for a repeat (the same notification, channel and
 * status, also when it came through the queue); 404 for a channel other than {@code email} or {@code push}, and for
 * a user who does not exist. Reading is {@link StatusReport}'s and recording {@link StatusRecorder}'s, both shared with the queue.
 */
public final class RecordStatusHandler extends HttpFunction {
    private final StatusRecorder recorder;
    private final Clock clock;

    public RecordStatusHandler() {
        this(System.getenv());
    }

    public RecordStatusHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    RecordStatusHandler(Services services) {
        super(Access.SERVICE, services.httpRuntime());
        this.recorder = services.statusRecorder();
        this.clock = services.clock();
    }

    @Override
    protected Reply handle(HttpRequest request) {
        StatusReport report = StatusReport.read(request.pathParameter("channel"), request.jsonObject(), clock);
        StatusRecorder.Result result = recorder.record(report);
        NotificationStatus record = result.record().orElse(null);
        return switch (result.kind()) {
            case CREATED -> Reply.created("Status recorded", record);
            case DUPLICATE -> Reply.ok("Status already recorded", record);
            case UNKNOWN_USER -> throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        };
    }
}

package dev.userservice.functions.pipeline;

import dev.userservice.Services;
import dev.userservice.logging.Log;
import dev.userservice.notifications.StatusRecorder;
import dev.userservice.notifications.StatusReport;
import dev.userservice.triggers.QueueFunction;
import dev.userservice.triggers.QueueMessage;
import java.time.Clock;
import java.util.Map;

/**
 * Consumes the {@code notification-status} queue: each message body is a status (see {@link StatusRecorder}, the
 * same validation and recording as {@code POST /api/v1/{channel}/status}) plus {@code "channel"}. A message that is
 * not valid, or whose recording fails, is named in the partial batch response, so it alone is received again and,
 * after five receives, lands in the dead-letter queue; the others are kept. A repeat is a success that records
 * nothing. A status for a user who does not exist (deleted since) is dropped with a log line and counted as
 * processed: no retry could ever store it, it would only end in the dead-letter queue.
 */
public final class NotificationStatusHandler extends QueueFunction {
    private final StatusRecorder recorder;
    private final Clock clock;

    public NotificationStatusHandler() {
        this(System.getenv());
    }

    public NotificationStatusHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    NotificationStatusHandler(Services services) {
        super(services, "notification status");
        this.recorder = services.statusRecorder();
        this.clock = services.clock();
    }

    @Override
    protected void consume(QueueMessage message) {
        StatusRecorder.Result result = recorder.record(StatusReport.readQueued(message.jsonBody(), message.sentAt(), clock));
        if (result.kind() == StatusRecorder.Kind.UNKNOWN_USER) {
            Log.warn("notification status for an unknown user dropped", Map.of("message_id", message.id()));
        }
    }

    /** A status naming only its channel: refused by the status's validation before anything is read or stored. */
    @Override
    protected Map<String, Object> refusedBody() {
        return Map.of("channel", "email");
    }
}

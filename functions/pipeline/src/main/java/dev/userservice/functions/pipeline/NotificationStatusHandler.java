package dev.userservice.functions.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.notifications.StatusRecorder;
import dev.userservice.notifications.StatusReport;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Consumes the {@code notification-status} queue: each message body is a status (see {@link StatusRecorder}, the
 * same validation and recording as {@code POST /api/v1/{channel}/status}) plus {@code "channel"}. A message that is
 * not valid, or whose recording fails, is named in the partial batch response ({@code batchItemFailures}), so it
 * alone is received again and, after five receives, lands in the dead-letter queue; the others are kept. A repeat
 * is a success that records nothing. A status for a user who does not exist (deleted since) is dropped with a log
 * line and counted as processed: no retry could ever store it, it would only end in the dead-letter queue.
 */
public final class NotificationStatusHandler extends SnapStartFunction implements RequestStreamHandler {
    /** How {@code Fields} reports a member nobody asked for. */
    private static final String UNKNOWN_FIELD = "is not a known field";
    private final StatusRecorder recorder;
    private final Clock clock;

    public NotificationStatusHandler() {
        this(System.getenv());
    }

    public NotificationStatusHandler(Map<String, String> environment) {
        this(Services.of(environment));
    }

    NotificationStatusHandler(Services services) {
        super(services);
        this.recorder = services.statusRecorder();
        this.clock = services.clock();
    }

    /**
     * A batch of one message whose status names only its channel: parsed as a real batch, then refused by the
     * status's validation before anything is read or stored, and no log line. Then the container's warm-up.
     */
    @Override
    protected void prime() {
        Map<String, Object> message = Map.of("messageId", "snapstart-priming", "body", Json.write(Map.of("channel", "email")));
        for (Map<String, Object> parsed : messages(Json.writeBytes(Map.of("Records", List.of(message))))) {
            try {
                record(String.valueOf(parsed.get("messageId")), parsed.get("body"));
            } catch (ServiceException refused) {
                // as intended
            }
        }
        wiring().warmUp();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<Map<String, String>> failures = new ArrayList<>();
        List<Map<String, Object>> messages = messages(input.readAllBytes());
        for (Map<String, Object> message : messages) {
            String messageId = String.valueOf(message.get("messageId"));
            try {
                record(messageId, message.get("body"));
            } catch (ServiceException e) {
                Log.warn("notification status message refused", Map.of("message_id", messageId, "reason", reason(e)));
                failures.add(Map.of("itemIdentifier", messageId));
            } catch (Json.MalformedJsonException e) {
                Log.warn("notification status message refused", Map.of("message_id", messageId, "reason", "malformed_json"));
                failures.add(Map.of("itemIdentifier", messageId));
            } catch (RuntimeException e) {
                Log.error("notification status message failed", Map.of("message_id", messageId, "reason", e.getClass().getSimpleName()), e);
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        Log.info("notification statuses consumed", Map.of("messages", messages.size(), "failed", failures.size()));
        output.write(Json.writeBytes(Map.of("batchItemFailures", failures)));
    }

    private void record(String messageId, Object body) {
        if (!(body instanceof String text)) {
            throw new Json.MalformedJsonException("The message has no body");
        }
        StatusRecorder.Result result = recorder.record(StatusReport.readQueued(Json.parseObject(text), clock));
        if (result.kind() == StatusRecorder.Kind.UNKNOWN_USER) {
            Log.warn("notification status for an unknown user dropped", Map.of("message_id", messageId));
        }
    }

    /** The records of Lambda's SQS event, {@code {"Records": [{"messageId", "body", …}]}}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(byte[] event) {
        Object records = Json.parseObject(new String(event, java.nio.charset.StandardCharsets.UTF_8)).get("Records");
        if (!(records instanceof List<?> list)) {
            throw new IllegalArgumentException("Not an SQS event: no Records");
        }
        return list.stream().filter(Map.class::isInstance).map(record -> (Map<String, Object>) record).toList();
    }

    /**
     * The error code and the offending known fields: never values, which may hold addresses or tokens, nor the names
     * of unknown fields, which are the sender's text too.
     */
    private static String reason(ServiceException e) {
        String fields = e.details().stream()
                .map(detail -> detail.message().equals(UNKNOWN_FIELD) ? "(unknown field)" : detail.field())
                .distinct().collect(Collectors.joining(","));
        return fields.isEmpty() ? e.error().code() : e.error().code() + " (" + fields + ")";
    }
}

package dev.userservice.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The kernel every SQS consumer extends: reads Lambda's SQS event, calls {@link #consume} once per message, and
 * answers the partial batch response ({@code batchItemFailures}) naming each message that was not consumed, so it
 * alone is received again (and, after the queue's receive count, lands in its dead-letter queue). A message refused
 * ({@link ServiceException}, or a body that is not a JSON object) is logged with its error code and the names of
 * the known fields at fault, never values nor unknown field names, which are the sender's text; any other failure
 * is logged with its exception. Before a SnapStart snapshot it consumes one message of its own that the consumer
 * refuses ({@link #refusedBody}), then warms the container up.
 */
public abstract class QueueFunction extends SnapStartFunction implements RequestStreamHandler {
    private static final String PRIMING_MESSAGE_ID = "snapstart-priming";
    /** What an invocation keeps for answering its batch, past the last message's work. */
    static final Duration RESERVE = Duration.ofSeconds(2);

    private final String kind;

    /** {@code kind} names the messages in log lines, such as {@code "notification status"}. */
    protected QueueFunction(Wiring wiring, String kind) {
        super(wiring);
        this.kind = kind;
    }

    /**
     * One message's work, done by the message's {@link QueueMessage#deadline}. Throws {@link ServiceException} to
     * refuse it, {@link Unfinished} when the deadline came first; returning means it is consumed.
     */
    protected abstract void consume(QueueMessage message);

    /** The message's work stopped at its deadline with some of it done, kept; the message comes back for the rest. */
    protected static final class Unfinished extends RuntimeException {
        public Unfinished() {
            super(null, null, false, false);
        }
    }

    /** A body that {@link #consume} refuses before it reads or stores anything, and without a log line. */
    protected abstract Map<String, Object> refusedBody();

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.beginInvocation(context);
        InvocationDeadline.begin(context);
        try {
            consumeBatch(input, output, context);
        } finally {
            InvocationDeadline.end();
            Log.endInvocation();
        }
    }

    private void consumeBatch(InputStream input, OutputStream output, Context context) throws IOException {
        Instant deadline = context == null ? Instant.MAX
                : Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(RESERVE);
        List<QueueMessage> messages = QueueMessage.batch(input.readAllBytes(), deadline);
        List<String> failed = new ArrayList<>();
        for (QueueMessage message : messages) {
            // Past the deadline the rest come back at their next receive, rather than the whole batch at a timeout.
            if (!Instant.now().isBefore(deadline) || !consumed(message)) {
                failed.add(message.id());
            }
        }
        Log.info(kind + " messages consumed", Map.of("messages", messages.size(), "failed", failed.size()));
        Json.write(EventJson.batchResponse(failed), output);
    }

    @Override
    protected final void prime() {
        Map<String, Object> message = Map.of("messageId", PRIMING_MESSAGE_ID, "body", Json.write(refusedBody()));
        for (QueueMessage parsed : QueueMessage.batch(Json.writeBytes(Map.of("Records", List.of(message))), Instant.MAX)) {
            try {
                consume(parsed);
            } catch (ServiceException refused) {
                // as intended
            }
        }
        wiring().warmUp();
    }

    private boolean consumed(QueueMessage message) {
        try {
            consume(message);
            return true;
        } catch (Unfinished e) {
            Log.info(kind + " message consumed in part; the rest at its next receive", Map.of("message_id", message.id()));
        } catch (ServiceException e) {
            Log.warn(kind + " message refused", Map.of("message_id", message.id(), "reason", reason(e)));
        } catch (Json.MalformedJsonException e) {
            Log.warn(kind + " message refused", Map.of("message_id", message.id(), "reason", "malformed_json"));
        } catch (RuntimeException e) {
            Log.error(kind + " message failed", Map.of("message_id", message.id(), "reason", e.getClass().getSimpleName()), e);
        }
        return false;
    }

    /**
     * The error code and the offending known fields, such as {@code validation_failed (status,(unknown field))}:
     * never values, which may hold addresses or tokens, nor the names of unknown fields.
     */
    static String reason(ServiceException e) {
        String fields = e.details().stream()
                .map(detail -> detail.unknownField() ? "(unknown field)" : detail.field())
                .distinct().collect(Collectors.joining(","));
        return fields.isEmpty() ? e.error().code() : e.error().code() + " (" + fields + ")";
    }
}

package dev.userservice.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kernel every DynamoDB stream consumer extends: reads Lambda's stream event, reads each record in turn with
 * {@link #read} (records this function does not consume are skipped, as retrying them could never help, and so is
 * every {@link StreamHeartbeat}, before it is read), consumes
 * them in stream order and stops at the first that fails, answering the partial batch response that names that
 * record's sequence number. Lambda then retries from it and counts the records before it as done, so no later
 * record overtakes an earlier one. A record this function should consume but cannot read ({@link #read} throws, a
 * {@link MalformedRecordException} or anything else) is set aside by {@link #parkUnreadable} once the records before
 * it are consumed, where a function does that; else it fails in its place like a record whose consumption failed:
 * the records before it are consumed, it is named, and the event source's retry limit and on-failure destination
 * take it out of the shard and show it to an operator. Before a SnapStart snapshot it reads a stream event of one
 * {@link #primingImage} and hands what it read to {@link #primeWith}.
 *
 * @param <R> what this function reads from a stream record
 */
public abstract class StreamFunction<R> extends SnapStartFunction implements RequestStreamHandler {
    /**
     * Time an invocation keeps for what it has begun: one call to SQS or DynamoDB may take up to 8 s (the SDK's
     * timeouts), and an invocation that runs out is a function error, after which Lambda sends the whole batch again.
     */
    static final Duration KEPT_FOR_THE_WORK_BEGUN = Duration.ofSeconds(10);

    private final String kind;

    /** {@code kind} names the records in log lines, such as {@code "outbox"}. */
    protected StreamFunction(Wiring wiring, String kind) {
        super(wiring);
        this.kind = kind;
    }

    /**
     * What this function consumes of a record, or empty to skip it; throws {@link MalformedRecordException} for a
     * record it should consume but cannot read (the message names the attribute, never a value).
     */
    protected abstract Optional<R> read(StreamRecord record);

    /** A new image that {@link #read} accepts and whose consumption in {@link #primeWith} changes nothing. */
    protected abstract Map<String, Object> primingImage();

    /** Priming's work on the records read from the priming event, with nothing changed and nothing logged. */
    protected abstract void primeWith(List<R> records);

    /**
     * Consumes the records in stream order and returns how many, from the first, are done: it stops at the first
     * that fails. Throwing counts as none done. {@link #oneAtATime} serves a function that takes one record at a time.
     */
    protected abstract int consumeInOrder(List<R> records);

    /** {@code work} on each record in order, stopping at the first that throws; returns how many were done. */
    protected final int oneAtATime(List<R> records, Consumer<R> work) {
        for (int done = 0; done < records.size(); done++) {
            try {
                work.accept(records.get(done));
            } catch (RuntimeException e) {
                Log.error(kind + " record failed", Map.of("records_done", done), e);
                return done;
            }
        }
        return records.size();
    }

    /**
     * A record this function should consume but cannot read, set aside where an operator sees it, so that the
     * records behind it go on; true when it was. By default it is not, and it fails in its place.
     */
    protected boolean parkUnreadable(StreamRecord record, String reason) {
        return false;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.beginInvocation(context);
        InvocationDeadline.begin(context);
        try {
            consumeBatch(input, output);
        } finally {
            InvocationDeadline.end();
            Log.endInvocation();
        }
    }

    /**
     * Whether the invocation has less than {@link #KEPT_FOR_THE_WORK_BEGUN} left: a function that does its records'
     * work in steps stops before the next step and reports the first record not done, which Lambda retries, rather
     * than run out half way through a step.
     */
    protected final boolean timeIsShort() {
        // The invocation ends ANSWER_TIME after its time for calls does.
        return InvocationDeadline.left()
                .filter(left -> left.plus(InvocationDeadline.ANSWER_TIME).compareTo(KEPT_FOR_THE_WORK_BEGUN) < 0)
                .isPresent();
    }

    private void consumeBatch(InputStream input, OutputStream output) throws IOException {
        List<StreamRecord> batch = StreamRecord.batch(input.readAllBytes());
        int read = 0;
        int heartbeats = 0;
        Optional<String> firstFailure = Optional.empty();
        // In stretches up to each unreadable record: the records before it are consumed before it is set aside.
        for (int next = 0; next < batch.size() && firstFailure.isEmpty(); ) {
            List<String> sequenceNumbers = new ArrayList<>();
            List<R> records = new ArrayList<>();
            Optional<StreamRecord> unreadable = Optional.empty();
            String why = null;
            for (; next < batch.size() && unreadable.isEmpty(); next++) {
                StreamRecord record = batch.get(next);
                if (StreamHeartbeat.is(record)) {
                    heartbeats++;
                    continue;
                }
                try {
                    read(record).ifPresent(value -> {
                        sequenceNumbers.add(record.sequenceNumber());
                        records.add(value);
                    });
                } catch (RuntimeException e) {
                    why = unreadableBecause(e);
                    logUnreadable(record, why);
                    unreadable = Optional.of(record);
                }
            }
            read += records.size();
            int done = done(records);
            if (done < records.size()) {
                firstFailure = Optional.of(sequenceNumbers.get(done));
            } else if (unreadable.isPresent() && !parkUnreadable(unreadable.get(), why)) {
                firstFailure = Optional.of(unreadable.get().sequenceNumber());
            }
        }
        // The heartbeats counted: the log shows the mapping reading while the table is quiet.
        Log.info(kind + " records consumed", Map.of("records", read, "heartbeats", heartbeats,
                "failed_from", firstFailure.orElse("none")));
        Json.write(EventJson.batchResponse(firstFailure.stream().toList()), output);
    }

    /**
     * Why a record could not be read, never its values: a {@link MalformedRecordException}'s message names only an
     * attribute; any other exception is a reader's defect, named by its type alone since its message may quote the
     * image.
     */
    private static String unreadableBecause(RuntimeException e) {
        return e instanceof MalformedRecordException malformed ? malformed.getMessage() : e.getClass().getName();
    }

    private void logUnreadable(StreamRecord record, String reason) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("event_id", record.eventId());
        fields.put("sequence_number", record.sequenceNumber());
        fields.put("reason", reason);
        Log.warn(kind + " record unreadable", fields);
    }

    @Override
    protected final void prime() {
        primeWith(StreamRecord.batch(StreamRecord.insertEvent(primingImage())).stream()
                .flatMap(record -> read(record).stream()).toList());
    }

    private int done(List<R> records) {
        try {
            return Math.min(records.size(), Math.max(0, consumeInOrder(records)));
        } catch (RuntimeException e) {
            Log.error(kind + " batch failed", Map.of("records", records.size()), e);
            return 0;
        }
    }
}

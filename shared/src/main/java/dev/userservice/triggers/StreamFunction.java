package dev.userservice.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kernel every DynamoDB stream consumer extends: reads Lambda's stream event, keeps the records this function
 * consumes ({@link #read}; the others are skipped, as retrying them could never help), consumes them in stream order
 * and stops at the first that fails, answering the partial batch response that names that record's sequence
 * number. Lambda then retries from it and counts the records before it as done, so no later record overtakes an
 * earlier one. Before a SnapStart snapshot it reads a stream event of one {@link #primingImage} and hands what it
 * read to {@link #primeWith}.
 *
 * @param <R> what this function reads from a stream record
 */
public abstract class StreamFunction<R> extends SnapStartFunction implements RequestStreamHandler {
    private final String kind;

    /** {@code kind} names the records in log lines, such as {@code "outbox"}. */
    protected StreamFunction(Wiring wiring, String kind) {
        super(wiring);
        this.kind = kind;
    }

    /** What this function consumes of a record, or empty to skip it. */
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

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<String> sequenceNumbers = new ArrayList<>();
        List<R> records = new ArrayList<>();
        for (StreamRecord record : StreamRecord.batch(input.readAllBytes())) {
            read(record).ifPresent(value -> {
                sequenceNumbers.add(record.sequenceNumber());
                records.add(value);
            });
        }
        int done = done(records);
        Optional<String> firstFailure = done < records.size() ? Optional.of(sequenceNumbers.get(done)) : Optional.empty();
        Log.info(kind + " records consumed", Map.of("records", records.size(), "failed_from", firstFailure.orElse("none")));
        Json.write(EventJson.batchResponse(firstFailure.stream().toList()), output);
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

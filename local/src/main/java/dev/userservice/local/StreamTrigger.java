package dev.userservice.local;

import dev.userservice.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A function's {@code DynamoDB} event, run as Lambda's event source mapping runs it: every shard of the table's
 * stream is read in order, records are kept when they match the template's {@code FilterCriteria}, and batches of
 * at most {@code BatchSize} go to the function in Lambda's event shape. With {@code ReportBatchItemFailures} the
 * function names the first record that failed and reading resumes there; a function error retries the whole batch.
 * After {@code MaximumRetryAttempts} (-1: until it succeeds) a failing record is skipped, as Lambda would send it to
 * the on-failure destination. Progress is kept per shard in the data directory, so a restart does not publish
 * again what was already published.
 */
final class StreamTrigger implements AutoCloseable {
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);

    private final LocalFunction function;
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final int batchSize;
    private final int maximumRetryAttempts;
    private final List<Map<String, Object>> filters;
    private final Optional<Path> checkpointFile;
    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, Integer> attempts = new LinkedHashMap<>();
    private final BackgroundLoop loop;
    private final Object progress = new Object();
    private long passesBegun;
    private long lastPassWithoutRecords;
    private long passesWithRecords;

    StreamTrigger(LocalFunction function, DynamoDbStreamsClient streams, String streamArn, int batchSize,
                  int maximumRetryAttempts, List<Map<String, Object>> filters, Optional<Path> checkpointFile) {
        this.function = function;
        this.streams = streams;
        this.streamArn = streamArn;
        this.batchSize = batchSize;
        this.maximumRetryAttempts = maximumRetryAttempts;
        this.filters = filters;
        this.checkpointFile = checkpointFile;
        checkpointFile.ifPresent(this::loadCheckpoints);
        this.loop = new BackgroundLoop("stream trigger of " + function.name(),
                () -> pollOnce() ? Duration.ZERO : IDLE_POLL);
    }

    /** One pass over the shards; true when some shard had records. */
    private boolean pollOnce() {
        long pass;
        synchronized (progress) {
            pass = ++passesBegun;
        }
        boolean delivered = readShards();
        synchronized (progress) {
            if (delivered) {
                passesWithRecords++;
            } else {
                lastPassWithoutRecords = pass;
            }
            progress.notifyAll();
        }
        return delivered;
    }

    /**
     * Waits until a pass that began after this call found no records: every change written before the call has then
     * been handed to the function (or skipped as its retry policy says). Answers how many passes had records so far,
     * so a caller can tell whether this trigger did anything while it waited on others.
     */
    long awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long after = passesBegun;
            while (lastPassWithoutRecords <= after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(function.name() + " did not catch up with its stream within " + timeout);
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return passesWithRecords;
        }
    }

    private boolean readShards() {
        for (Shard shard : streams.describeStream(request -> request.streamArn(streamArn)).streamDescription().shards()) {
            iterators.computeIfAbsent(shard.shardId(), this::firstIterator);
        }
        boolean delivered = false;
        for (String shardId : List.copyOf(iterators.keySet())) {
            String iterator = iterators.get(shardId);
            if (iterator == null) {
                continue;
            }
            GetRecordsResponse page = streams.getRecords(request -> request.shardIterator(iterator).limit(batchSize));
            iterators.put(shardId, page.nextShardIterator());
            List<Record> matching = page.records().stream().filter(this::matches).toList();
            if (!page.records().isEmpty()) {
                delivered = true;
            }
            if (matching.isEmpty()) {
                page.records().stream().reduce((first, second) -> second)
                        .ifPresent(last -> checkpoint(shardId, last.dynamodb().sequenceNumber()));
                continue;
            }
            Optional<String> failedAt = deliver(matching);
            if (failedAt.isEmpty()) {
                attempts.remove(shardId);
                checkpoint(shardId, page.records().getLast().dynamodb().sequenceNumber());
            } else {
                retryOrSkip(shardId, failedAt.get());
            }
        }
        return delivered;
    }

    /** The first record that failed, or empty when the batch succeeded. */
    private Optional<String> deliver(List<Record> batch) {
        byte[] event = Json.writeBytes(Map.of("Records", batch.stream().map(this::lambdaRecord).toList()));
        try {
            Map<String, Object> answer = Json.parseObject(new String(function.invoke(event), StandardCharsets.UTF_8));
            if (answer.get("batchItemFailures") instanceof List<?> failures && !failures.isEmpty()) {
                return failures.stream()
                        .map(failure -> String.valueOf(((Map<?, ?>) failure).get("itemIdentifier")))
                        .min(java.util.Comparator.comparing(java.math.BigInteger::new));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            System.err.println("local: " + function.name() + " failed on a stream batch: " + e);
            return Optional.of(batch.getFirst().dynamodb().sequenceNumber());
        }
    }

    private void retryOrSkip(String shardId, String sequenceNumber) {
        int attempt = attempts.merge(shardId, 1, Integer::sum);
        ShardIteratorType position = ShardIteratorType.AT_SEQUENCE_NUMBER;
        if (maximumRetryAttempts >= 0 && attempt > maximumRetryAttempts) {
            System.err.println("local: " + function.name() + " gave up on stream record " + sequenceNumber
                    + " after " + maximumRetryAttempts + " retries");
            attempts.remove(shardId);
            position = ShardIteratorType.AFTER_SEQUENCE_NUMBER;
            checkpoint(shardId, sequenceNumber);
        }
        ShardIteratorType type = position;
        iterators.put(shardId, streams.getShardIterator(request -> request.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequenceNumber)).shardIterator());
        BackgroundLoop.sleep(RETRY_DELAY);
    }

    private String firstIterator(String shardId) {
        String after = checkpoints.get(shardId);
        return streams.getShardIterator(request -> {
            request.streamArn(streamArn).shardId(shardId);
            if (after != null) {
                request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            } else {
                request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            }
        }).shardIterator();
    }

    /** Lambda's record shape: the stream record with its images in DynamoDB JSON. */
    private Map<String, Object> lambdaRecord(Record record) {
        var data = record.dynamodb();
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        if (data.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", data.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.put("Keys", image(data.keys()));
        if (data.hasNewImage()) {
            dynamodb.put("NewImage", image(data.newImage()));
        }
        if (data.hasOldImage()) {
            dynamodb.put("OldImage", image(data.oldImage()));
        }
        dynamodb.put("SequenceNumber", data.sequenceNumber());
        dynamodb.put("SizeBytes", data.sizeBytes());
        dynamodb.put("StreamViewType", data.streamViewTypeAsString());
        Map<String, Object> lambda = new LinkedHashMap<>();
        lambda.put("eventID", record.eventID());
        lambda.put("eventName", record.eventNameAsString());
        lambda.put("eventVersion", record.eventVersion());
        lambda.put("eventSource", "aws:dynamodb");
        lambda.put("awsRegion", LocalServers.REGION);
        lambda.put("dynamodb", dynamodb);
        lambda.put("eventSourceARN", streamArn);
        return lambda;
    }

    private static Map<String, Object> image(Map<String, AttributeValue> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        item.forEach((name, value) -> json.put(name, attribute(value)));
        return json;
    }

    private static Map<String, Object> attribute(AttributeValue value) {
        return switch (value.type()) {
            case S -> Map.of("S", value.s());
            case N -> Map.of("N", value.n());
            case B -> Map.of("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> Map.of("BOOL", value.bool());
            case NUL -> Map.of("NULL", true);
            case SS -> Map.of("SS", value.ss());
            case NS -> Map.of("NS", value.ns());
            case BS -> Map.of("BS", value.bs().stream().map(bytes -> Base64.getEncoder().encodeToString(bytes.asByteArray())).toList());
            case M -> Map.of("M", image(value.m()));
            case L -> Map.of("L", value.l().stream().map(StreamTrigger::attribute).toList());
            default -> throw new IllegalArgumentException("Unknown attribute type " + value.type());
        };
    }

    /** FilterCriteria: the record passes when any filter's pattern matches its Lambda shape. */
    private boolean matches(Record record) {
        if (filters.isEmpty()) {
            return true;
        }
        Map<String, Object> shape = lambdaRecord(record);
        return filters.stream().anyMatch(pattern -> EventPattern.matches(pattern, shape));
    }

    private void checkpoint(String shardId, String sequenceNumber) {
        checkpoints.put(shardId, sequenceNumber);
        checkpointFile.ifPresent(file -> {
            try {
                Files.writeString(file, Json.write(new LinkedHashMap<>(checkpoints)));
            } catch (IOException e) {
                System.err.println("local: cannot save stream progress to " + file + ": " + e.getMessage());
            }
        });
    }

    private void loadCheckpoints(Path file) {
        if (Files.isRegularFile(file)) {
            try {
                Json.parseObject(Files.readString(file)).forEach((shard, sequence) -> checkpoints.put(shard, String.valueOf(sequence)));
            } catch (IOException | RuntimeException e) {
                System.err.println("local: ignoring unreadable stream progress " + file + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        loop.close();
    }

    /** The subset of EventBridge-style patterns that Lambda's filters use here: nested objects, lists of values. */
    static final class EventPattern {
        private EventPattern() {}

        @SuppressWarnings("unchecked")
        static boolean matches(Map<String, Object> pattern, Map<String, Object> event) {
            for (Map.Entry<String, Object> rule : pattern.entrySet()) {
                Object value = event.get(rule.getKey());
                if (rule.getValue() instanceof Map<?, ?> nested) {
                    if (!(value instanceof Map<?, ?> inner) || !matches((Map<String, Object>) nested, (Map<String, Object>) inner)) {
                        return false;
                    }
                } else if (rule.getValue() instanceof List<?> allowed) {
                    if (value == null || allowed.stream().noneMatch(candidate -> String.valueOf(candidate).equals(String.valueOf(value)))) {
                        return false;
                    }
                } else {
                    return false;
                }
            }
            return true;
        }
    }
}

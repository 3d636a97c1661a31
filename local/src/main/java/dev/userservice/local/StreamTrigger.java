package dev.userservice.local;

import dev.userservice.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
    private final RetryPolicy policy;
    private final List<Map<String, Object>> filters;
    private final Optional<Path> checkpointFile;
    private final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, Integer> attempts = new LinkedHashMap<>();
    /** Per shard, the size of the batch being retried (bisected, or what a partial response left); absent otherwise. */
    private final Map<String, Integer> retryBatchSize = new LinkedHashMap<>();
    private final BackgroundLoop loop;
    private final Object progress = new Object();
    private long passesBegun;
    private long lastPassWithoutRecords;
    private long passesWithRecords;

    /**
     * The event source mapping's batching and failure settings. {@code maximumRecordAge} empty: records are read
     * however old (-1). {@code onFailure} sends Lambda's failure record to the destination, when there is one.
     */
    record RetryPolicy(int batchSize, int maximumRetryAttempts, boolean bisectOnError, Optional<Duration> maximumRecordAge,
                       Optional<Consumer<Map<String, Object>>> onFailure) {}

    StreamTrigger(LocalFunction function, DynamoDbStreamsClient streams, String streamArn, RetryPolicy policy,
                  List<Map<String, Object>> filters, Optional<Path> checkpointFile) {
        this.function = function;
        this.streams = streams;
        this.streamArn = streamArn;
        this.policy = policy;
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
            int limit = retryBatchSize.getOrDefault(shardId, policy.batchSize());
            GetRecordsResponse page = streams.getRecords(request -> request.shardIterator(iterator).limit(limit));
            iterators.put(shardId, page.nextShardIterator());
            if (page.records().isEmpty()) {
                continue;
            }
            delivered = true;
            List<Record> matching = page.records().stream().filter(this::matches).toList();
            List<Record> expired = matching.stream().takeWhile(this::tooOld).toList();
            if (!expired.isEmpty()) {
                sendToFailureDestination(shardId, expired, "RecordAgeExceeded");
                matching = matching.subList(expired.size(), matching.size());
            }
            if (matching.isEmpty()) {
                attempts.remove(shardId);
                retryBatchSize.remove(shardId);
                checkpoint(shardId, page.records().getLast().dynamodb().sequenceNumber());
                continue;
            }
            Optional<Failure> failure = deliver(matching);
            if (failure.isEmpty()) {
                attempts.remove(shardId);
                retryBatchSize.remove(shardId);
                checkpoint(shardId, page.records().getLast().dynamodb().sequenceNumber());
            } else {
                retryOrSkip(shardId, page.records(), failure.get());
            }
        }
        return delivered;
    }

    /** Where a batch failed: the function's error (it threw, or timed out), or the first record its answer named. */
    private record Failure(String sequenceNumber, boolean functionError) {}

    /** The batch's failure, or empty when it succeeded. */
    private Optional<Failure> deliver(List<Record> batch) {
        byte[] event = Json.writeBytes(Map.of("Records", batch.stream().map(this::lambdaRecord).toList()));
        try {
            Map<String, Object> answer = Json.parseObject(new String(function.invoke(event), StandardCharsets.UTF_8));
            if (answer.get("batchItemFailures") instanceof List<?> failures && !failures.isEmpty()) {
                return failures.stream()
                        .map(failure -> String.valueOf(((Map<?, ?>) failure).get("itemIdentifier")))
                        .min(java.util.Comparator.comparing(java.math.BigInteger::new))
                        .map(sequenceNumber -> new Failure(sequenceNumber, false));
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            System.err.println("local: " + function.name() + " failed on a stream batch: " + e);
            return Optional.of(new Failure(batch.getFirst().dynamodb().sequenceNumber(), true));
        }
    }

    /**
     * After a failure: the records from it to the end of the batch are retried, as Lambda retries them. Bisection
     * halves them first, down to the failing record alone, but only after a function error: a partial batch response
     * already says where the batch failed, and Lambda retries exactly the records from there. Each retry of the
     * remaining records counts, and when the retries are exhausted those records are skipped and reported to the
     * failure destination.
     */
    private void retryOrSkip(String shardId, List<Record> page, Failure failure) {
        String sequenceNumber = failure.sequenceNumber();
        List<Record> remaining = page.stream().dropWhile(record -> !record.dynamodb().sequenceNumber().equals(sequenceNumber)).toList();
        if (remaining.isEmpty()) {
            remaining = page;
        }
        if (failure.functionError() && policy.bisectOnError() && remaining.size() > 1) {
            retryBatchSize.put(shardId, (remaining.size() + 1) / 2);
        } else if (policy.maximumRetryAttempts() >= 0 && attempts.merge(shardId, 1, Integer::sum) > policy.maximumRetryAttempts()) {
            System.err.println("local: " + function.name() + " gave up on stream records from " + sequenceNumber
                    + " after " + policy.maximumRetryAttempts() + " retries");
            sendToFailureDestination(shardId, remaining, "RetryAttemptsExhausted");
            attempts.remove(shardId);
            retryBatchSize.remove(shardId);
            String last = remaining.getLast().dynamodb().sequenceNumber();
            checkpoint(shardId, last);
            position(shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, last);
            return;
        } else if (!failure.functionError()) {
            retryBatchSize.put(shardId, remaining.size());
        }
        position(shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, sequenceNumber);
        BackgroundLoop.sleep(RETRY_DELAY);
    }

    private void position(String shardId, ShardIteratorType type, String sequenceNumber) {
        iterators.put(shardId, streams.getShardIterator(request -> request.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequenceNumber)).shardIterator());
    }

    private boolean tooOld(Record record) {
        Instant created = record.dynamodb().approximateCreationDateTime();
        return policy.maximumRecordAge().isPresent() && created != null
                && created.plus(policy.maximumRecordAge().get()).isBefore(Instant.now());
    }

    /**
     * Lambda's record of a skipped batch of a DynamoDB stream: where it was and why, never the records' contents
     * (an operator reads them from the stream or the outbox by their sequence numbers).
     */
    private void sendToFailureDestination(String shardId, List<Record> skipped, String condition) {
        Map<String, Object> batchInfo = new LinkedHashMap<>();
        batchInfo.put("shardId", shardId);
        batchInfo.put("startSequenceNumber", skipped.getFirst().dynamodb().sequenceNumber());
        batchInfo.put("endSequenceNumber", skipped.getLast().dynamodb().sequenceNumber());
        Optional.ofNullable(skipped.getFirst().dynamodb().approximateCreationDateTime())
                .ifPresent(time -> batchInfo.put("approximateArrivalOfFirstRecord", time.toString()));
        Optional.ofNullable(skipped.getLast().dynamodb().approximateCreationDateTime())
                .ifPresent(time -> batchInfo.put("approximateArrivalOfLastRecord", time.toString()));
        batchInfo.put("batchSize", skipped.size());
        batchInfo.put("streamArn", streamArn);
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("requestContext", Map.of("requestId", UUID.randomUUID().toString(),
                "functionArn", "arn:aws:lambda:" + LocalServers.REGION + ":" + LocalServers.ACCOUNT_ID + ":function:" + function.name(),
                "condition", condition,
                "approximateInvokeCount", attempts.getOrDefault(shardId, 0) + 1));
        failure.put("responseContext", Map.of("statusCode", 200, "executedVersion", "$LATEST"));
        failure.put("version", "1.0");
        failure.put("timestamp", Instant.now().toString());
        failure.put("DDBStreamBatchInfo", batchInfo);
        policy.onFailure().ifPresent(destination -> destination.accept(failure));
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
                // Written beside and moved over, so a runner killed mid-write leaves the old progress, never a torn
                // file that would make the next start read the stream from its beginning and publish it all again.
                Path written = file.resolveSibling(file.getFileName() + ".new");
                Files.writeString(written, Json.write(new LinkedHashMap<>(checkpoints)));
                Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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

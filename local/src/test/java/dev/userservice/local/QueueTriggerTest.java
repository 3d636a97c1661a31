package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The runner's queue triggers behave as Lambda's event source mapping does: a batch with bad messages keeps the
 * good ones, and each bad one is received five times and then sits in the dead-letter queue.
 */
class QueueTriggerTest {

    @Test
    void aBatchOfTenWithTwoBadMessagesKeepsEightAndRedrivesTheTwo() throws Exception {
        LocalOptions options = LocalOptions.inMemory().withTemplate(template()).withQueueRetryDelay(Duration.ZERO);
        try (LocalService service = LocalService.start(options); SqsClient sqs = LocalService.sqs(service.sqsEndpoint())) {
            String queue = sqs.getQueueUrl(request -> request.queueName("WorkQueue")).queueUrl();
            String deadLetters = sqs.getQueueUrl(request -> request.queueName("WorkDeadLetterQueue")).queueUrl();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                bodies.add(i == 3 || i == 7 ? "bad message " + i : "good message " + i);
            }
            sqs.sendMessageBatch(request -> request.queueUrl(queue).entries(bodies.stream()
                    .map(body -> SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(bodies.indexOf(body))).messageBody(body).build())
                    .toList()));

            List<String> redriven = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (redriven.size() < 2 && System.nanoTime() < deadline) {
                sqs.receiveMessage(request -> request.queueUrl(deadLetters).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages().forEach(message -> redriven.add(message.body()));
            }

            assertEquals(List.of("bad message 3", "bad message 7"), redriven.stream().sorted().toList());
            assertEquals(8, RecordingQueueHandler.PROCESSED.size(), "each good message processed once");
            assertTrue(RecordingQueueHandler.PROCESSED.stream().allMatch(body -> body.startsWith("good")));
            assertEquals(5, RecordingQueueHandler.FAILED_RECEIVES.stream().filter("bad message 3"::equals).count(),
                    "received five times before the dead-letter queue");
        }
    }

    /** A function that dies of an Error fails its batch, as Lambda counts a function error; the queue goes on. */
    @Test
    void aBatchWhoseFunctionDiesOfAnErrorIsRetriedThenRedriven() throws Exception {
        LocalOptions options = LocalOptions.inMemory().withTemplate(template()).withQueueRetryDelay(Duration.ZERO);
        try (LocalService service = LocalService.start(options); SqsClient sqs = LocalService.sqs(service.sqsEndpoint())) {
            String queue = sqs.getQueueUrl(request -> request.queueName("CrashQueue")).queueUrl();
            String deadLetters = sqs.getQueueUrl(request -> request.queueName("CrashDeadLetterQueue")).queueUrl();
            for (String body : List.of("first", "second")) {
                sqs.sendMessage(request -> request.queueUrl(queue).messageBody(body));
                List<String> redriven = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (redriven.isEmpty() && System.nanoTime() < deadline) {
                    sqs.receiveMessage(request -> request.queueUrl(deadLetters).waitTimeSeconds(1))
                            .messages().forEach(message -> redriven.add(message.body()));
                }
                assertEquals(List.of(body), redriven, "the trigger still polls after the function died");
            }
        }
    }

    private static Path template() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(QueueTriggerTest.class.getResource("/queue-trigger-template.yaml")).toURI());
    }
}
